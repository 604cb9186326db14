"""The Design page's tabs and forms: targets and baselines, settings, pull-system sizing.

pages/design.py lays the tabs out and calls these; each module owns one tab or form and
the widget and session state that go with it, so the page stays a short list of calls.
"""
