"""Official administrative units, read from the data files of the ``vietnamadminunits`` package (MIT).

That package ships the GSO/NSO lists as a SQLite file (``dataset.db``):

* ``admin_units``: the 34 provinces and 3,321 communes/wards/special zones in force since 1 July 2025;
* ``admin_units_legacy``: the 63 provinces, 696 districts and 10,035 communes before the reform;

and the official old → new conversion (``converter_2025.json``), where communes split across several
new communes are listed separately with the new commune that keeps the old one's records by default.

The package's own modules are not imported (they pull in shapely and geopy); only its data is read.
"""
from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from danso.domain.units import LEGACY_LAST_DAY, NATION_CODE, REFORM_DATE, Level, Lineage, Link, Unit

SOURCE_NEW = "vietnamadminunits 1.0.4: admin_units (NSO, 01/07/2025)"
SOURCE_LEGACY = "vietnamadminunits 1.0.4: admin_units_legacy (GSO, before 01/07/2025)"


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The package 'vietnamadminunits' is not installed: pip install vietnamadminunits==1.0.4")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@dataclass
class OfficialUnits:
    units: list[Unit]
    links: list[Link]
    lineage: list[Lineage]


def _kind(name: str, short: str | None) -> str:
    if short and name.endswith(short):
        return name[: len(name) - len(short)].strip()
    return name.split(" ")[0]


def read_official_units() -> OfficialUnits:
    data = _data_dir()
    con = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    try:
        return _read(con, json.loads((data / "converter_2025.json").read_text(encoding="utf-8")))
    finally:
        con.close()


def _read(con: sqlite3.Connection, converter: dict) -> OfficialUnits:
    nation = Unit(NATION_CODE, Level.NATION, "Việt Nam", "Quốc gia", source="danso")
    units: list[Unit] = [nation]
    links: list[Link] = []
    lineage: list[Lineage] = []

    # --- since 1 July 2025: province → commune
    new_prov: dict[str, Unit] = {}
    new_prov_by_key: dict[str, Unit] = {}
    new_ward_by_key: dict[tuple[str, str], Unit] = {}
    rows = con.execute(
        "SELECT province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardType, wardCode, wardKey"
        " FROM admin_units ORDER BY provinceCode, wardCode"
    )
    for prov, prov_short, pcode, pkey, ward, ward_short, ward_type, wcode, wkey in rows:
        p = new_prov.get(pcode)
        if p is None:
            p = Unit(pcode, Level.PROVINCE, prov, _kind(prov, prov_short), REFORM_DATE, None, SOURCE_NEW)
            new_prov[pcode] = new_prov_by_key[pkey] = p
            units.append(p)
            links.append(Link(p, nation, REFORM_DATE, None))
        w = Unit(wcode, Level.COMMUNE, ward, ward_type or _kind(ward, ward_short), REFORM_DATE, None, SOURCE_NEW)
        units.append(w)
        links.append(Link(w, p, REFORM_DATE, None))
        new_ward_by_key[(pkey, wkey)] = w

    # --- before 1 July 2025: province → district → commune
    old_prov: dict[str, Unit] = {}
    old_prov_by_key: dict[str, Unit] = {}
    old_dist: dict[str, Unit] = {}
    old_by_key: dict[str, Unit] = {}  # "province_district_ward" (ward may be empty) → unit
    rows = con.execute(
        "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort, districtType,"
        " districtCode, districtKey, ward, wardShort, wardType, wardCode, wardKey"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    for (prov, prov_short, pcode, pkey, dist, dist_short, dist_type, dcode, dkey,
         ward, ward_short, ward_type, wcode, wkey) in rows:
        p = old_prov.get(pcode)
        if p is None:
            p = Unit(pcode, Level.PROVINCE, prov, _kind(prov, prov_short), None, LEGACY_LAST_DAY, SOURCE_LEGACY)
            old_prov[pcode] = old_prov_by_key[pkey] = p
            units.append(p)
            links.append(Link(p, nation, None, LEGACY_LAST_DAY))
        d = old_dist.get(dcode)
        if d is None:
            d = Unit(dcode, Level.DISTRICT, dist, dist_type or _kind(dist, dist_short), None, LEGACY_LAST_DAY,
                     SOURCE_LEGACY)
            old_dist[dcode] = d
            units.append(d)
            links.append(Link(d, p, None, LEGACY_LAST_DAY))
        if wcode is None:
            # island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo):
            # the district itself is what the conversion maps to a special zone (đặc khu)
            old_by_key[f"{pkey}_{dkey}_"] = d
            continue
        w = Unit(wcode, Level.COMMUNE, ward, ward_type or _kind(ward, ward_short), None, LEGACY_LAST_DAY,
                 SOURCE_LEGACY)
        units.append(w)
        links.append(Link(w, d, None, LEGACY_LAST_DAY))
        old_by_key[f"{pkey}_{dkey}_{wkey}"] = w

    # --- lineage: provinces
    for new_pkey, old_pkeys in converter["DICT_PROVINCE"].items():
        for old_pkey in old_pkeys:
            lineage.append(Lineage(old_prov_by_key[old_pkey], new_prov_by_key[new_pkey], "merged"))
    # --- lineage: communes kept whole
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            target = new_ward_by_key[(new_pkey, new_wkey)]
            for old_key in old_keys:
                lineage.append(Lineage(old_by_key[old_key], target, "merged"))
    # --- lineage: communes split across several new communes
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            for t in targets:
                lineage.append(Lineage(old_by_key[old_key], new_ward_by_key[(new_pkey, t["newWardKey"])], "split",
                                       is_default=bool(t["isDefaultNewWard"])))
    return OfficialUnits(units, links, lineage)


def iter_counts(official: OfficialUnits) -> Iterator[tuple[str, str, int]]:
    """(era, level, count) — for reports of what was loaded."""
    from collections import Counter

    c = Counter(("mới" if u.valid_from == REFORM_DATE else "cũ", u.level.value) for u in official.units
                if u.level != Level.NATION)
    for (era, level), n in sorted(c.items()):
        yield era, level, n
