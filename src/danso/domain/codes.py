"""Code lists (danh mục) as data: versioned CSV files shipped in ``danso/codelists``.

Each list is ``codelists/<name>.csv`` with columns ``code,label`` and optional extra attributes;
``codelists/index.json`` gives each list's version, source and the assumption made where the
official list could not be found (see docs/codelists.md).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class CodeItem:
    code: str
    label: str
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class CodeList:
    name: str
    title: str
    version: str
    source: str
    items: tuple[CodeItem, ...]
    by_code: dict[str, CodeItem] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_code.update((i.code, i) for i in self.items)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def label(self, code: str | None) -> str:
        item = self.by_code.get(code or "")
        return item.label if item else ""

    def item(self, code: str) -> CodeItem:
        return self.by_code[code]

    def codes(self) -> list[str]:
        return [i.code for i in self.items]

    def where(self, attr: str, value: str = "1") -> frozenset[str]:
        """Codes whose attribute ``attr`` equals ``value`` (e.g. ``where('modern')``)."""
        return frozenset(i.code for i in self.items if i.attrs.get(attr) == value)



@cache
def _catalogue() -> dict[str, Any]:
    return json.loads(resources.files("danso.codelists").joinpath("index.json").read_text(encoding="utf-8"))


@cache
def code_list(name: str) -> CodeList:
    meta = _catalogue()["lists"][name]
    text = resources.files("danso.codelists").joinpath(f"{name}.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    items = tuple(
        CodeItem(r.pop("code"), r.pop("label"), {k: v for k, v in r.items() if v not in (None, "")}) for r in rows
    )
    return CodeList(name, meta["title"], meta["version"], meta["source"], items)


def all_code_lists() -> list[CodeList]:
    return [code_list(name) for name in _catalogue()["lists"]]


# Names of the lists, so code elsewhere never spells them as bare strings.
SEX = "sex"
RELATION = "relation"
ETHNICITY = "ethnicity"
EDUCATION = "education"
MARITAL = "marital"
RESIDENCE = "residence"
DISABILITY = "disability"
HOUSEHOLD_KIND = "household_kind"
CONTRACEPTIVE_METHOD = "contraceptive_method"
DELIVERY_PLACE = "delivery_place"
NEWBORN_CONDITION = "newborn_condition"
SCREENING_RESULT = "screening_result"
PRENATAL_CONDITION = "prenatal_condition"
PREGNANCY_EVENT = "pregnancy_event"
SERVICE_PLACE = "service_place"
