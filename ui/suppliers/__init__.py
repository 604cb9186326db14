"""The Suppliers page's tabs: the scorecard, one supplier in detail, concentration risk.

pages/suppliers.py lays the tabs out and calls these; each module owns one tab and the
widget and session state that go with it. The scorecard and concentration compare all
suppliers; the sidebar's supplier filter only picks the detail view.
"""

# The page's tabs, in order. A click on a scorecard row opens the second (`view` in the URL).
TABS = ["Scorecard", "Supplier detail", "Concentration risk"]
