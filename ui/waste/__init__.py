"""The Waste page's sections: the seven wastes, excess and dead stock, ABC-XYZ, inventory trend.

pages/waste.py calls them top to bottom; each module owns one section and the widgets it
renders (downloads, and the trend's `waste-grain` choice), so the page stays a list of calls.
"""
