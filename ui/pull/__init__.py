"""The Pull page's parts: the what-to-order list, one sku's buffer, whether the sizing works,
the demand forecast."""

TABS = ["What to order", "One sku's buffer", "Does the sizing work?", "Demand forecast"]
