"""Planning decisions of the Design page: targets as people type them, settings, what-ifs.

The SQL model `sku_planning` sizes the pull system with the stored settings; `what_if`
repeats that arithmetic (METRICS.md section 7) in Python so a manager can try another
service level or kanban safety factor without changing what everybody else sees. The rest
converts between stored values (rates as fractions) and what a person types (percentages),
and checks the rules between settings that no single range can express.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from analytics.formatting import (
    DEFAULT_CURRENCY,
    currency_code,
    format_value,
    money_prefix,
    status,
)
from analytics.metrics.registry import KPIS
from analytics.models.materialize import refresh_store
from analytics.store.schema import SETTINGS
from analytics.store.settings import get_currency, get_settings, set_currency, set_setting

ABC, XYZ = ("A", "B", "C"), ("X", "Y", "Z")
UNIT_LABELS = {
    "rate": "%",
    "days": "days",
    "ppm": "ppm",
    "money": "",  # the currency's sign (money_prefix)
    "ratio": "turns a year",
    "index": "index 0–1",
}
# Symbols a plain font has (no colour emoji): tables are drawn on a canvas without fallbacks.
STATUS_LABELS = {"good": "✔ on target", "watch": "≈ close", "bad": "✖ off target"}
# What each ABC-XYZ cell suggests for replenishment (our rule of thumb, shown as guidance).
POLICIES = {
    ("A", "X"): "Kanban loop, small frequent deliveries",
    ("A", "Y"): "Kanban with safety stock, review weekly",
    ("A", "Z"): "Order to demand, review weekly",
    ("B", "X"): "Kanban loop",
    ("B", "Y"): "Kanban with safety stock",
    ("B", "Z"): "Order to demand",
    ("C", "X"): "Two-bin",
    ("C", "Y"): "Two-bin with a buffer",
    ("C", "Z"): "Order on demand or phase out",
}


# -- targets ------------------------------------------------------------------------------
def _scale(kpi: str) -> float:
    """Rates are typed and shown as percentages (95 = 95%), every other unit as stored."""
    return 100.0 if KPIS[kpi].unit == "rate" else 1.0


def target_to_display(kpi: str, value: float | None) -> float | None:
    return None if value is None else round(value * _scale(kpi), 9)


def target_from_display(kpi: str, shown) -> float | None:
    """What a person typed -> the stored value; a clear sentence when it cannot be one."""
    if shown is None or (isinstance(shown, float) and math.isnan(shown)):
        return None
    kpi_def, shown = KPIS[kpi], float(shown)
    if kpi_def.unit == "rate" and not 0 <= shown <= 100:
        raise ValueError(f"{kpi_def.label}: type a percentage between 0 and 100 (95 = 95%).")
    if kpi_def.unit == "index" and not 0 <= shown <= 1:
        raise ValueError(f"{kpi_def.label}: the index runs from 0 to 1.")
    if shown < 0:
        raise ValueError(f"{kpi_def.label}: a target cannot be negative.")
    return shown / _scale(kpi)


def target_table(
    targets: dict[str, dict], current: dict, currency: str = DEFAULT_CURRENCY
) -> list[dict]:
    """One row per KPI for the editor: the target in display units, the rest as text."""
    rows = []
    for name, kpi in KPIS.items():
        t, value = targets[name], current.get(name)
        period = (
            f"{t['baseline_start']:%d %b %Y} – {t['baseline_end']:%d %b %Y}"
            if t["baseline_start"]
            else ""
        )
        rows.append(
            {
                "kpi": name,
                "label": kpi.label,
                "unit": UNIT_LABELS[kpi.unit] or money_prefix(currency).strip(),
                "better": "higher" if kpi.higher_is_better else "lower",
                "current": format_value(value, kpi.unit, currency),
                "status": _status_label(value, t["target"], kpi.higher_is_better),
                "target": target_to_display(name, t["target"]),
                "baseline": format_value(t["baseline"], kpi.unit, currency)
                if t["baseline_start"]
                else "",
                "baseline_period": period,
            }
        )
    return rows


def _status_label(value, target, higher_is_better: bool) -> str:
    if target is None:
        return "no target"
    return STATUS_LABELS.get(status(value, target, higher_is_better), "no data")


def changed_targets(before: dict[str, float | None], after: dict) -> dict[str, float | None]:
    """The KPIs whose displayed target the user changed (NaN from the editor = empty)."""

    def clean(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    out = {}
    for kpi, new in after.items():
        old, new = clean(before.get(kpi)), clean(new)
        if (old is None) != (new is None) or (new is not None and not math.isclose(old, new)):
            out[kpi] = new
    return out


# -- settings -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SettingField:
    group: str
    label: str
    scale: float = 1.0  # display = stored x scale (fractions are typed as percentages)
    step: float = 1.0
    whole: bool = False  # a whole number (days, PPM)


_PCT = dict(scale=100.0)
SETTING_FIELDS = {
    "late_tolerance_days": SettingField("Delivery judgement", "Late tolerance (days)", whole=True),
    "early_tolerance_days": SettingField(
        "Delivery judgement", "Early tolerance (days)", whole=True
    ),
    "in_full_tolerance": SettingField(
        "Delivery judgement", "In-full tolerance (%)", step=0.5, **_PCT
    ),
    "holding_cost_rate": SettingField("Stock", "Holding cost (% of value a year)", **_PCT),
    "target_cover_days": SettingField("Stock", "Target cover (days)", whole=True),
    "dead_stock_days": SettingField("Stock", "Dead after (days without demand)", whole=True),
    "service_level": SettingField("Pull sizing", "Service level (%)", step=0.1, **_PCT),
    "kanban_safety_factor": SettingField("Pull sizing", "Kanban safety factor (%)", **_PCT),
    "abc_cutoff_a": SettingField("ABC-XYZ classes", "A class: first (% of value)", **_PCT),
    "abc_cutoff_b": SettingField("ABC-XYZ classes", "B class: up to (% of value)", **_PCT),
    "xyz_cutoff_x": SettingField("ABC-XYZ classes", "X class: CV up to", step=0.05),
    "xyz_cutoff_y": SettingField("ABC-XYZ classes", "Y class: CV up to", step=0.05),
    "order_cycle_days": SettingField("Replenishment", "Order cycle (days)", whole=True),
    "spike_factor": SettingField(
        "Replenishment", "Spike: open line ≥ this × safety stock", step=0.1
    ),
    "forecast_weight": SettingField(
        "Replenishment", "Forecast weight in daily demand (%)", step=5, **_PCT
    ),
    "score_weight_otif": SettingField("Supplier score", "Weight of OTIF", step=0.05),
    "score_weight_quality": SettingField("Supplier score", "Weight of quality", step=0.05),
    "score_weight_lead_time": SettingField(
        "Supplier score", "Weight of lead-time reliability", step=0.05
    ),
    "score_ppm_ceiling": SettingField(
        "Supplier score", "PPM at which quality scores 0", step=100, whole=True
    ),
    "late_alert_days": SettingField("Signals", "Late open line alert (days late)", whole=True),
}


def setting_to_display(name: str, value: float) -> float | int:
    f = SETTING_FIELDS[name]
    shown = round(value * f.scale, 6)
    return int(round(shown)) if f.whole else shown


def setting_from_display(name: str, shown: float) -> float:
    return float(shown) / SETTING_FIELDS[name].scale


def setting_bounds(name: str) -> tuple[float, float]:
    """The documented range of analytics.schema.SETTINGS, in display units."""
    _default, _desc, low, high = SETTINGS[name]
    return setting_to_display(name, low), setting_to_display(name, high)


def check_settings(values: dict[str, float]) -> list[str]:
    """Every reason the settings (stored units) cannot be saved together; [] when they can."""
    errors = []
    for name, value in values.items():
        low, high = SETTINGS[name][2:]
        if not low <= value <= high:
            shown = setting_bounds(name)
            errors.append(
                f"{SETTING_FIELDS[name].label} must be between {shown[0]} and {shown[1]}."
            )
    if values["abc_cutoff_a"] >= values["abc_cutoff_b"]:
        errors.append(
            "The A class must end before the B class: A is set to the first "
            f"{values['abc_cutoff_a']:.0%} of value, B to {values['abc_cutoff_b']:.0%}."
        )
    if values["xyz_cutoff_x"] >= values["xyz_cutoff_y"]:
        errors.append(
            "The X class must end before the Y class: X is set to a CV up to "
            f"{values['xyz_cutoff_x']:g}, Y to {values['xyz_cutoff_y']:g}."
        )
    weights = [v for k, v in values.items() if k.startswith("score_weight_")]
    if not any(weights):
        errors.append("At least one supplier-score weight must be above zero.")
    return errors


def current_settings(store) -> dict[str, float]:
    with store.connect() as cur:
        return get_settings(cur)


def changed_settings(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in after.items() if not math.isclose(before[k], v, abs_tol=1e-12)}


def save_settings(store, values: dict[str, float]) -> dict[str, float]:
    """Store the changed settings together, then rebuild the per-line facts that use them.

    Checked as a whole first, so a plant never runs with A ending after B. The data version
    moves, so every cached figure is recomputed with the new settings."""
    merged = {**current_settings(store), **values}
    errors = check_settings(merged)
    if errors:
        raise ValueError(" ".join(errors))
    changed = changed_settings(current_settings(store), merged)
    if changed:
        with store.writer() as cur:
            cur.execute("BEGIN TRANSACTION")
            for name, value in changed.items():
                set_setting(cur, name, value)  # each moves the data version on
            cur.execute("COMMIT")
        refresh_store(store)
    return changed


def save_currency(store, value: str) -> str | None:
    """Store a new base currency (validated) and rebuild the facts its conversion feeds;
    the code when it changed, None when it was already the setting."""
    with store.writer() as cur:
        before = get_currency(cur)
        if before == currency_code(value):
            return None
        code = set_currency(cur, value)  # moves the data version on
    refresh_store(store)
    return code


# -- pull-system sizing -------------------------------------------------------------------
def size_one(row: dict, z: float, safety_factor: float) -> dict:
    """Safety stock, reorder point and kanban cards of one sku (METRICS.md section 7).

    None where an input is missing, as the SQL gives null: one measured lead time has no
    spread, so its safety stock is unknown rather than 0."""
    d, sd_d = row["daily_demand"], row["daily_demand_sd"]
    lead, sd_lead, container = (
        row["lead_time_mean_days"],
        row["lead_time_sd_days"],
        row["container_qty"],
    )
    safety = None
    if None not in (d, sd_d, lead, sd_lead):
        safety = z * math.sqrt(lead * sd_d * sd_d + d * d * sd_lead * sd_lead)
    cards = None
    if None not in (d, lead, container):
        cards = float(math.ceil(d * lead * (1 + safety_factor) / container))
    return {
        "safety_stock": safety,
        "reorder_point": None if safety is None else d * lead + safety,
        "kanban_cards": cards,
    }


def what_if(rows: list[dict], service_level: float, safety_factor: float) -> list[dict]:
    """The sizing rows again, resized for another service level and kanban safety factor."""
    if not 0 < service_level < 1:
        raise ValueError("the service level must be above 0% and below 100%")
    if safety_factor < 0:
        raise ValueError("the kanban safety factor cannot be negative")
    z = NormalDist().inv_cdf(service_level)
    return [{**r, **size_one(r, z, safety_factor)} for r in rows]


def sizing_totals(rows: list[dict]) -> dict:
    """What the sizing ties up: safety stock and kanban-loop stock valued at unit cost.

    Skus without a known cost are counted in `uncosted`, never valued at 0."""
    totals = {"safety_stock_value": 0.0, "loop_value": 0.0, "kanban_cards": 0.0}
    totals.update(sized_skus=0, uncosted=0, drift_skus=0)
    for r in rows:
        totals["drift_skus"] += bool(r["drift_flag"])
        if r["safety_stock"] is not None:
            totals["sized_skus"] += 1
        if r["kanban_cards"] is not None:
            totals["kanban_cards"] += r["kanban_cards"]
        if r["unit_cost"] is None:
            totals["uncosted"] += r["safety_stock"] is not None
            continue
        totals["safety_stock_value"] += (r["safety_stock"] or 0.0) * r["unit_cost"]
        loop = (r["kanban_cards"] or 0.0) * (r["container_qty"] or 0.0)
        totals["loop_value"] += loop * r["unit_cost"]
    return totals


def filter_sizing(rows: list[dict], classes: list[str], drift_only: bool) -> list[dict]:
    """Rows of the chosen ABC classes ('none' = no class), optionally only drifting skus."""
    wanted = {c if c != "none" else None for c in classes}
    return [r for r in rows if r["abc_class"] in wanted and (r["drift_flag"] or not drift_only)]


def abc_xyz_matrix(rows: list[dict]) -> list[dict]:
    """The nine cells (A-X first): skus, annual consumption value, safety stock value, policy.

    Skus without an ABC class (unknown cost or no demand in a year) are not in any cell."""
    cells = {
        (a, x): {
            "abc_class": a,
            "xyz_class": x,
            "skus": 0,
            "consumption_value": 0.0,
            "safety_stock_value": 0.0,
            "policy": POLICIES[(a, x)],
        }
        for a in ABC
        for x in XYZ
    }
    for r in rows:
        cell = cells.get((r["abc_class"], r["xyz_class"]))
        if cell is None:
            continue
        cell["skus"] += 1
        cell["consumption_value"] += r["consumption_value"] or 0.0
        cell["safety_stock_value"] += (r["safety_stock"] or 0.0) * (r["unit_cost"] or 0.0)
    return list(cells.values())
