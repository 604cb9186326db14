"""Floor 2: demand forecasts per sku and site with their measured accuracy (METRICS.md 14).

`accuracy` scores forecasts (WAPE, bias, FVA), `engine` fits statsforecast's models and
backtests them (the only module that imports statsforecast), `batch` refits the skus whose
weekly series changed and stores the results, `stored` reads them for the pages and CLI.
Reading stored forecasts never loads the forecasting library.
"""
