"""The deterministic demo data: one plant, 40 suppliers, 300 skus, 18 months.

A first-time user needs something to click through before their own exports are ready, and
the tests and screenshots need data whose stories are known in advance: two unreliable
suppliers, one supplier whose defect problem was fixed on QUALITY_FIX_DATE, dead stock,
stock-outs, lead-time drift. The same seed always gives the same frames and the same bytes,
so the committed files under data/sample/ can be checked against a fresh run.

Supply is simulated from demand (an order-up-to policy per sku), so receipts, shipments and
the weekly stock snapshots tell one consistent story. The files are written in the shapes real
ERPs export (German SAP, Excel "Unicode text", cp1252 item master) to exercise the importer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

START = date(2025, 5, 1)
END = date(2026, 10, 31)
LAST_PROMISE = date(2026, 12, 15)
UNRELIABLE_SUPPLIERS = ("Marwick Electronics Ltd", "Delta Machining Inc.")
QUALITY_SUPPLIER = "Ironbridge Castings Ltd"
QUALITY_CAUSE = "Porosity"
QUALITY_FIX_DATE = date(2026, 3, 2)  # a Monday, so weekly buckets split cleanly
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"

N_DAYS = (END - START).days + 1
_BASE = np.datetime64(START, "D")
_FIX_DAY = (QUALITY_FIX_DATE - START).days

# category -> (skus, unit cost range, container sizes, customer lot range, quoted lead range)
CATEGORIES = {
    "Fasteners": (70, (0.03, 0.8), (100, 200, 500), (200, 2500), (5, 12)),
    "Castings": (35, (15, 250), (5, 10, 20), (5, 40), (18, 30)),
    "Electronics": (50, (2, 180), (10, 25, 50, 100), (10, 200), (10, 30)),
    "Plastics": (45, (0.2, 8), (50, 100, 250), (50, 600), (8, 18)),
    "Packaging": (30, (0.1, 4), (50, 100, 200), (50, 500), (5, 10)),
    "Machined parts": (45, (5, 1800), (5, 10, 25), (5, 60), (12, 25)),
    "Raw material": (25, (1.5, 30), (25, 50, 100), (50, 1000), (7, 15)),
}
SUPPLIERS = {
    "Fasteners": (
        "Richter Schrauben GmbH",
        "O'Brien Fasteners Ltd",
        "Jansen Bevestigingen B.V.",
        "Adler Verbindungstechnik GmbH",
        "Midwest Bolt & Nut Co.",
        "Tanaka Fastening K.K.",
        "Nordfix AB",
    ),
    "Castings": (
        QUALITY_SUPPLIER,
        "Hartmann Gießerei GmbH & Co. KG",
        "Fonderie Castellane SAS",
        "Silesia Odlewnia Sp. z o.o.",
        "Bharat Precision Castings Pvt. Ltd",
    ),
    "Electronics": (
        "Brandt Elektronik AG",
        UNRELIABLE_SUPPLIERS[0],
        "Quantum Circuits Inc.",
        "Shenzhen Huali Electronics Co., Ltd",
        "Elektro-Kern GmbH",
        "Nordlys Sensor A/S",
        "Gómez Componentes S.L.",
    ),
    "Plastics": (
        "Bergmann Kunststofftechnik GmbH",
        "Pacific Polymer Corp.",
        "Hansen Plast A/S",
        "Plastiques du Jura SARL",
        "Weber Spritzguss GmbH",
        "Polytec Moulding Ltd",
    ),
    "Packaging": (
        "Fischer Verpackungen GmbH",
        "Nordic Packaging Oy",
        "Kartonagen Lindner KG",
        "BoxCo Industrial Packaging",
        "Smurfield Containers plc",
    ),
    "Machined parts": (
        "Müller Präzisionsteile GmbH",
        UNRELIABLE_SUPPLIERS[1],
        "Keller CNC-Technik GmbH",
        "Oberland Drehteile GmbH",
        "Precisión Ibérica S.A.",
        "Lindqvist Metall AB",
    ),
    "Raw material": (
        "Eberhardt Stahlhandel GmbH",
        "Alu-Metall Handels AG",
        "Sandoval Metals S.A. de C.V.",
        "Kunststoff-Granulat Vertrieb GmbH",
    ),
}
CUSTOMERS = (
    "Alpenland Maschinenbau AG",
    "Baltic Marine Systems AB",
    "Cortina Automotive S.p.A.",
    "Danube Agritech GmbH",
    "Harper, Lowe & Sons Ltd",
    "Iberia Rail Components S.A.",
    "Kessler Antriebstechnik GmbH",
    "Lakeside Tractor Works Inc.",
    "Méridien Énergie SAS",
    "Northwind Pumps Ltd",
    "Orion Medical Devices Inc.",
    "Pannonia Bus Kft.",
    "Rhein-Ruhr Anlagenbau GmbH",
    "Sørensen Vindkraft A/S",
    "Tatra Hydraulics s.r.o.",
    "Westfield Conveyors plc",
    "Zeller Fördertechnik GmbH",
)
DESCRIPTIONS = {
    "Fasteners": (
        "Sechskantschraube M{a}×{b} DIN 933 verzinkt",
        "Hex nut M{a} A2 stainless",
        "Unterlegscheibe Ø{a} DIN 125",
        "Zylinderschraube M{a}×{b} 12.9",
    ),
    "Castings": (
        "Gehäuse Alu-Druckguss Ø{b}",
        "Lagerdeckel GJL-250 Ø{b}",
        "Pumpengehäuse Grauguss Größe {a}",
        "Flansch Ø{b} Sphäroguss",
    ),
    "Electronics": (
        "Steuerplatine Rev. {a}",
        "Kabelbaum {b} mm",
        "Näherungsschalter M{a}",
        "Relais 24 V DC, {a} A",
    ),
    "Plastics": (
        "Abdeckkappe PA6 schwarz Ø{b}",
        "Dichtung Ø{b} NBR 70",
        "Griffschale ABS grau",
        'Schlauch {a}/2" PVC',
    ),
    "Packaging": (
        "Faltkarton {b}×300×200",
        "Luftpolsterfolie 1,{a} m",
        "Etikett 100×50 (Rolle à 1000)",
        "Kleinladungsträger KLT {b}",
    ),
    "Machined parts": (
        "Welle Ø{a} h6 gehärtet",
        "Buchse Ø{a} Messing",
        "Zahnrad z={b} m2",
        "Distanzhülse Ø{a}×{b}",
    ),
    "Raw material": (
        "Rundstahl Ø{a} C45 (€/kg)",
        "Blech {a} mm DC01",
        "Aluminium-Flachstab {a}×{b}",
        "Granulat PA6-GF30 (Sack {a} kg)",
    ),
}
RECEIVING_CAUSES = {
    "Dimensional out of tolerance": 0.30,
    "Surface damage": 0.20,
    "Burrs": 0.12,
    "Wrong part delivered": 0.10,
    "Corrosion": 0.10,
    "Missing certificate": 0.13,
    QUALITY_CAUSE: 0.05,
}
PRODUCTION_CAUSES = ("Setup scrap", "Dimensional out of tolerance", "Surface damage", "Burrs")
CUSTOMER_CAUSES = (
    "Dimensional out of tolerance",
    "Surface damage",
    "Wrong part delivered",
    "Corrosion",
)
DISPOSITION_COST = {"return": 0.1, "scrap": 1.0, "rework": 0.35, "use-as-is": 0.05}


def _dates(offsets) -> pd.Series:
    """Day offsets from START (NaN = no date) as a datetime column."""
    arr = np.asarray(offsets, dtype="float64")
    out = np.full(arr.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(arr)
    out[ok] = _BASE + arr[ok].astype("int64")
    return pd.Series(out, dtype="datetime64[s]")


def _season(day):
    """Spring upswing plus a November peak: demand a planner cannot treat as flat."""
    doy = (START.timetuple().tm_yday - 1 + np.asarray(day)) % 365.25
    return (
        1
        + 0.15 * np.sin(2 * np.pi * (doy + 10) / 365.25)
        + 0.5 * np.exp(-(((doy - 318) / 30) ** 2))
    )


def _weekday(day: int) -> int:
    return (START.weekday() + day) % 7


def _money(rng, low: float, high: float, size=None):
    """Log-uniform, rounded as a price list would be: cents, or 1/100 cent below one unit."""
    value = np.exp(rng.uniform(np.log(low), np.log(high), size))
    return np.where(value < 1, np.round(value, 4), np.round(value, 2))


def _suppliers(rng) -> pd.DataFrame:
    """One row per supplier: quoted lead time, reliability, review cycle and order weekday."""
    rows = []
    for category, names in SUPPLIERS.items():
        lead_range = CATEGORIES[category][4]
        for name in names:
            bad = name in UNRELIABLE_SUPPLIERS
            rows.append(
                {
                    "name": name,
                    "category": category,
                    "lead": int(rng.integers(lead_range[0], lead_range[1] + 1)),
                    "p_on_time": rng.uniform(0.68, 0.72) if bad else rng.uniform(0.92, 0.97),
                    "late_scale": rng.uniform(7, 12) if bad else rng.uniform(1.5, 3.5),
                    "p_under": 0.08 if bad else 0.045,
                    "p_defect": 0.06 if bad else 0.035,
                    "price": rng.uniform(0.92, 1.08),
                    "cycle": 7 if name == QUALITY_SUPPLIER or rng.random() < 0.25 else 14,
                    "weekday": int(rng.integers(0, 5)),
                }
            )
    return pd.DataFrame(rows).set_index("name", drop=False)


def _skus(rng, sups: pd.DataFrame) -> pd.DataFrame:
    """One row per sku: cost, price, container, popularity, suppliers and stock policy."""
    frames = []
    for category, (n, cost, boxes, lot, _lead) in CATEGORIES.items():
        names = sups.index[sups.category == category].to_numpy()
        weights = np.where(names == QUALITY_SUPPLIER, 3.0, 1.0)
        main = rng.choice(names, n, p=weights / weights.sum())
        second = [rng.choice(names[names != m]) if rng.random() < 0.6 else "" for m in main]
        frames.append(
            pd.DataFrame(
                {
                    "category": category,
                    "cost": _money(rng, *cost, n),
                    "container": rng.choice(boxes, n),
                    "lot": np.exp(rng.uniform(np.log(lot[0]), np.log(lot[1]), n)),
                    "main": main,
                    "second": second,
                }
            )
        )
    skus = pd.concat(frames, ignore_index=True)
    n = len(skus)
    skus.insert(0, "sku", [f"SKU-{10001 + i}" for i in range(n)])
    skus["price"] = np.round(skus.cost * rng.uniform(1.3, 1.8, n), 2)
    skus["weight"] = np.maximum(rng.lognormal(0, 0.7, n), 0.4)
    skus["excess"] = np.where(rng.random(n) < 0.08, 3.5, 1.0)
    skus["safety"] = rng.uniform(4, 9, n)
    dead = rng.choice(n, 10, replace=False)
    skus["dead_from"] = N_DAYS
    skus.loc[dead, "dead_from"] = N_DAYS - rng.integers(135, 260, 10)
    skus.loc[dead, "excess"] = 2.5  # overstocked, then the demand went away
    return skus


def _orders(rng, skus: pd.DataFrame) -> pd.DataFrame:
    """Customer order lines, weekdays only, seasonal; some late, short or not yet shipped."""
    cust_lead = rng.integers(5, 21, len(CUSTOMERS))
    cust_weight = rng.dirichlet(np.full(len(CUSTOMERS), 2.0))
    rows = []
    for day in range(N_DAYS):
        if _weekday(day) > 4:
            continue
        active = np.flatnonzero(skus.dead_from.to_numpy() > day)
        p = skus.weight.to_numpy()[active] / skus.weight.to_numpy()[active].sum()
        for _ in range(rng.poisson(13 * _season(day))):
            cust = rng.choice(len(CUSTOMERS), p=cust_weight)
            lines = rng.choice(active, min(1 + rng.poisson(1.2), 6), replace=False, p=p)
            requested = day + cust_lead[cust] + int(rng.integers(0, 6))
            rows.append((day, cust, requested, lines))
    out = []
    for number, (day, cust, requested, lines) in enumerate(rows, start=100001):
        for line_no, i in enumerate(lines, start=1):
            out.append(_order_line(rng, skus.iloc[i], number, line_no, day, cust, requested))
    return pd.DataFrame(out)


def _order_line(rng, sku, number, line_no, day, cust, requested) -> dict:
    qty = max(1.0, float(np.round(sku.lot * rng.lognormal(0, 0.5))))
    qty = float(np.round(qty, -1)) or 10.0 if qty >= 50 else qty
    if rng.random() < 0.09:
        ship = requested + 1 + int(rng.geometric(0.2))
    else:
        ship = max(day, requested - int(rng.integers(0, 4)))
    shipped = qty
    if rng.random() < 0.05 and qty >= 2:
        shipped = float(min(qty - 1, np.floor(qty * rng.uniform(0.5, 0.95))))
    done = ship < N_DAYS
    return {
        "order_number": f"SO-{number}",
        "order_line": str(line_no),
        "customer": CUSTOMERS[cust],
        "sku": sku.sku,
        "order_date": day,
        "requested_date": requested,
        "shipped_date": ship if done else np.nan,
        "ordered_qty": qty,
        "shipped_qty": shipped if done else np.nan,
        "unit_price": sku.price,
    }


def _daily(skus: pd.DataFrame, sku_col, day_col, qty_col) -> np.ndarray:
    """Quantities summed into a (sku, day) matrix, so stock is a cumulative sum."""
    index = pd.Series(np.arange(len(skus)), index=skus.sku)
    out = np.zeros((len(skus), N_DAYS))
    ok = day_col.notna().to_numpy()
    rows = index[sku_col[ok]].to_numpy()
    np.add.at(out, (rows, day_col[ok].to_numpy(int)), qty_col[ok].fillna(0).to_numpy())
    return out


def _po_lines(rng, skus, sups, shipped: np.ndarray) -> list[dict]:
    """Order-up-to replenishment on each main supplier's review day, so supply follows demand."""
    lines = []
    for i, sku in enumerate(skus.itertuples()):
        main = sups.loc[sku.main]
        cover = main.lead + 2 + main.cycle + sku.safety
        rate = _season(np.arange(N_DAYS) + cover / 2) * _base_rate(sku) * sku.excess
        stock = rate[0] * (cover - main.cycle / 2)
        skus.loc[i, "init"] = np.round(stock)
        shipped_to = np.cumsum(shipped[i])
        ordered = 0.0
        first = (main.weekday - START.weekday()) % 7
        for day in range(first, min(N_DAYS, sku.dead_from), int(main.cycle)):
            need = rate[day] * cover - (stock + ordered - shipped_to[day])
            if need < 0.5 * sku.container:
                continue
            qty = float(np.ceil(need / sku.container) * sku.container)
            sup = sups.loc[sku.second if sku.second and rng.random() < 0.3 else sku.main]
            lines.append(
                {
                    "supplier": sup["name"],
                    "sku": sku.sku,
                    "order_date": day,
                    "promised_date": min(
                        day + sup.lead + int(rng.integers(0, 3)), (LAST_PROMISE - START).days
                    ),
                    "ordered_qty": qty,
                    "unit_cost": _po_price(sku.cost * sup.price),
                }
            )
            ordered += qty
    return lines


def _base_rate(sku) -> float:
    """Expected units per calendar day: 13 orders x 2.2 lines per weekday, spread over skus."""
    return 13 * 2.2 * 5 / 7 * sku.weight / sku.total_weight * sku.lot * np.exp(0.125)


def _po_price(value: float) -> float:
    return float(np.round(value, 4) if value < 1 else np.round(value, 2))
