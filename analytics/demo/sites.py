"""The demo plant's two sites: the main works and a smaller second plant.

Each sku is stocked at the main site, at the second site, or at both; a row goes to its
sku's site, and a row of a sku stocked at both goes to the second site about one time in
three (a PO line with all its receipts, a customer order line, a production or customer
defect). A receiving defect is at the site of the PO line it was found on. A snapshot of a
sku stocked at both splits its main-store quantity between them (its line-side stock
stays at the main site). Days are offsets from START, as in `generate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAIN_SITE, SECOND_SITE = "Werk Nord", "Werk Süd"
SECOND_ONLY, BOTH = 0.22, 0.06  # shares of the skus
SECOND_SHARE = 0.35  # of the rows, and of the stock, of a sku stocked at both


def sku_sites(rng, skus: pd.Series) -> pd.Series:
    """sku -> "main", "second" or "both"."""
    u = rng.random(len(skus))
    where = np.where(u < SECOND_ONLY, "second", np.where(u < SECOND_ONLY + BOTH, "both", "main"))
    return pd.Series(where, index=skus.to_numpy())


def _draw(rng, where: pd.Series, skus: pd.Series) -> np.ndarray:
    """The site of each row of these skus."""
    kind = where[skus].to_numpy()
    second = (kind == "second") | ((kind == "both") & (rng.random(len(kind)) < SECOND_SHARE))
    return np.where(second, SECOND_SITE, MAIN_SITE)


def _per_line(rng, where, frame: pd.DataFrame, number: str, line: str) -> np.ndarray:
    """One draw per document line, shared by every row of the line (split receipts)."""
    firsts = frame.drop_duplicates([number, line])
    keys = pd.MultiIndex.from_frame(firsts[[number, line]])
    site = pd.Series(_draw(rng, where, firsts.sku), index=keys)
    return site[pd.MultiIndex.from_frame(frame[[number, line]])].to_numpy()


def _defect_sites(rng, where, defects: pd.DataFrame, deliveries: pd.DataFrame) -> np.ndarray:
    received = deliveries[deliveries.received_qty > 0].drop_duplicates(["po_number", "sku"])
    po_site = received.set_index(["po_number", "sku"]).site
    drawn = _draw(rng, where, defects.sku)
    found = pd.MultiIndex.from_frame(defects[["po_number", "sku"]]).isin(po_site.index)
    keys = pd.MultiIndex.from_frame(defects.loc[found, ["po_number", "sku"]])
    drawn[found] = po_site[keys].to_numpy()
    return drawn


def _split_stock(where, inventory: pd.DataFrame) -> pd.DataFrame:
    kind = where[inventory.sku].to_numpy()
    inventory = inventory.assign(site=np.where(kind == "second", SECOND_SITE, MAIN_SITE))
    shared = inventory[(kind == "both") & (inventory.location == "MAIN").to_numpy()]
    second = np.round(shared.on_hand_qty * SECOND_SHARE)
    inventory.loc[shared.index, "on_hand_qty"] = shared.on_hand_qty - second
    extra = shared.assign(site=SECOND_SITE, on_hand_qty=second)
    out = pd.concat([inventory, extra], ignore_index=True)
    return out.sort_values(["date", "sku", "site", "location"], kind="stable")


def place(rng, frames: dict[str, pd.DataFrame], skus: pd.Series) -> dict[str, pd.DataFrame]:
    """Every row of deliveries, orders, defects and inventory given its site."""
    where = sku_sites(rng, skus)
    d, o = frames["deliveries"], frames["orders"]
    d = d.assign(site=_per_line(rng, where, d, "po_number", "po_line"))
    o = o.assign(site=_per_line(rng, where, o, "order_number", "order_line"))
    q = frames["defects"]
    q = q.assign(site=_defect_sites(rng, where, q, d))
    inventory = _split_stock(where, frames["inventory"]).reset_index(drop=True)
    return {**frames, "deliveries": d, "orders": o, "defects": q, "inventory": inventory}
