"""Who is in the demo plant: its sku categories, suppliers, customers, item descriptions
and the defect causes each stage sees. Plain data; `generate` draws the plant's year from it.
"""

from __future__ import annotations

from analytics.store.schema import TABLES

UNRELIABLE_SUPPLIERS = ("Marwick Electronics Ltd", "Delta Machining Inc.")
QUALITY_SUPPLIER = "Ironbridge Castings Ltd"
QUALITY_CAUSE = "Porosity"


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


# "Category: name | name": names hold commas, ampersands and accents, as real ones do.
_SUPPLIER_TEXT = """
Fasteners: Richter Schrauben GmbH | O'Brien Fasteners Ltd | Jansen Bevestigingen B.V.
Fasteners: Adler Verbindungstechnik GmbH | Midwest Bolt & Nut Co. | Tanaka Fastening K.K.
Fasteners: Nordfix AB
Castings: Ironbridge Castings Ltd | Hartmann Gießerei GmbH & Co. KG | Fonderie Castellane SAS
Castings: Silesia Odlewnia Sp. z o.o. | Bharat Precision Castings Pvt. Ltd
Electronics: Brandt Elektronik AG | Marwick Electronics Ltd | Quantum Circuits Inc.
Electronics: Shenzhen Huali Electronics Co., Ltd | Elektro-Kern GmbH | Nordlys Sensor A/S
Electronics: Gómez Componentes S.L.
Plastics: Bergmann Kunststofftechnik GmbH | Pacific Polymer Corp. | Hansen Plast A/S
Plastics: Plastiques du Jura SARL | Weber Spritzguss GmbH | Polytec Moulding Ltd
Packaging: Fischer Verpackungen GmbH | Nordic Packaging Oy | Kartonagen Lindner KG
Packaging: BoxCo Industrial Packaging | Smurfield Containers plc
Machined parts: Müller Präzisionsteile GmbH | Delta Machining Inc. | Keller CNC-Technik GmbH
Machined parts: Oberland Drehteile GmbH | Precisión Ibérica S.A. | Lindqvist Metall AB
Raw material: Eberhardt Stahlhandel GmbH | Alu-Metall Handels AG | Sandoval Metals S.A. de C.V.
Raw material: Kunststoff-Granulat Vertrieb GmbH
"""


_CUSTOMER_TEXT = """
Alpenland Maschinenbau AG | Baltic Marine Systems AB | Cortina Automotive S.p.A.
Danube Agritech GmbH | Harper, Lowe & Sons Ltd | Iberia Rail Components S.A.
Kessler Antriebstechnik GmbH | Lakeside Tractor Works Inc. | Méridien Énergie SAS
Northwind Pumps Ltd | Orion Medical Devices Inc. | Pannonia Bus Kft.
Rhein-Ruhr Anlagenbau GmbH | Sørensen Vindkraft A/S | Tatra Hydraulics s.r.o.
Westfield Conveyors plc | Zeller Fördertechnik GmbH
"""


# Item descriptions per category; {a} and {b} are sizes. All of it fits in cp1252.
_DESCRIPTION_TEXT = """
Fasteners: Sechskantschraube M{a}×{b} DIN 933 verzinkt | Hex nut M{a} A2 stainless
Fasteners: Unterlegscheibe Ø{a} DIN 125 | Zylinderschraube M{a}×{b} 12.9
Castings: Gehäuse Alu-Druckguss Ø{b} | Lagerdeckel GJL-250 Ø{b} | Flansch Ø{b} Sphäroguss
Castings: Pumpengehäuse Grauguss Größe {a}
Electronics: Steuerplatine Rev. {a} | Kabelbaum {b} mm | Näherungsschalter M{a}
Electronics: Relais 24 V DC, {a} A
Plastics: Abdeckkappe PA6 schwarz Ø{b} | Dichtung Ø{b} NBR 70 | Griffschale ABS grau
Plastics: Schlauch 1/2" PVC, Rolle {b} m
Packaging: Faltkarton {b}×300×200 | Luftpolsterfolie 1,{a} m | Etikett 100×50 (Rolle à 1000)
Packaging: Kleinladungsträger KLT {b}
Machined parts: Welle Ø{a} h6 gehärtet | Buchse Ø{a} Messing | Zahnrad z={b} m2
Machined parts: Distanzhülse Ø{a}×{b}
Raw material: Rundstahl Ø{a} C45 (€/kg) | Blech {a} mm DC01 | Aluminium-Flachstab {a}×{b}
Raw material: Granulat PA6-GF30 (Sack {a} kg)
"""


RECEIVING_CAUSES = {"Dimensional out of tolerance": 0.30, "Surface damage": 0.20,
                    "Burrs": 0.12, "Wrong part delivered": 0.10, "Corrosion": 0.10,
                    "Missing certificate": 0.13, QUALITY_CAUSE: 0.05}  # fmt: skip


PRODUCTION_CAUSES = ("Setup scrap", "Dimensional out of tolerance", "Surface damage", "Burrs")


CUSTOMER_CAUSES = ("Dimensional out of tolerance", "Surface damage", "Corrosion")


DISPOSITIONS = {"receiving": ("return", "scrap", "rework", "use-as-is"),
                "production": ("scrap", "rework"), "customer": ("rework", "scrap")}  # fmt: skip


DISPOSITION_COST = {"return": 0.1, "scrap": 1.0, "rework": 0.35, "use-as-is": 0.05}


def _listed(text: str) -> list[tuple[str, str]]:
    """(label, name) pairs of a "Label: a | b" block; lines without a label give label ''."""
    pairs = []
    for line in text.strip().splitlines():
        label, _, names = line.rpartition(": ") if ": " in line else ("", "", line)
        pairs += [(label, name) for name in names.split(" | ")]
    return pairs


SUPPLIERS = tuple(_listed(_SUPPLIER_TEXT))  # (category, name)


CUSTOMERS = tuple(name for _label, name in _listed(_CUSTOMER_TEXT))


DESCRIPTIONS = {c: tuple(t for k, t in _listed(_DESCRIPTION_TEXT) if k == c) for c in CATEGORIES}


def demo_columns(name: str) -> list[str]:
    """The schema's columns the demo's files carry: all but `currency` (one currency)."""
    return [c.name for c in TABLES[name].columns if c.name != "currency"]


# Drawn last, over the whole span (`sites`, `corrections`): the first draws leave them out.
DRAWN_LATER = ("site", "status")


def filled_columns(name: str) -> list[str]:
    """The demo's columns of a table that the first draws fill, in schema order."""
    return [c for c in demo_columns(name) if c not in DRAWN_LATER]
