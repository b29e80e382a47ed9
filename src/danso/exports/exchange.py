"""Aggregate data exchange: IHE ADX (XML, namespace ``urn:ihe:qrph:adx:2015``) and DHIS2 dataValueSets (JSON).

Both carry the report unit's **counts** — the stock, flow and average indicators, each total and each
breakdown key — not the rates, which the receiving system recomputes from counts (as danso does), so that
nothing is averaged. Identifiers are danso's codes (indicator codes, the unit's official code); a receiving
DHIS2 needs data elements, category option combos and organisation units with the same codes (ADX: the data
set's structure is the schema ``adx_schema()``, derived from the catalogue as the ADX profile derives a schema
from its data structure definition). One report is one organisation unit: send the reports of the lowest
level (communes) and let the receiver aggregate, or the parent's figures would be counted twice.
"""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from danso.domain import codes
from danso.domain.ages import age_group_label
from danso.domain.indicators import Indicator, catalogue
from danso.domain.periods import Period
from danso.exports.rows import breakdown_keys
from danso.services.reports import Report, ReportInputError

ADX_NS = "urn:ihe:qrph:adx:2015"
ADX_ATTRIBUTES = {"sex": "SEX", "age_group": "AGE_GROUP", "birth_order": "BIRTH_ORDER",
                  "delivery_place": "DELIVERY_PLACE", "method": "METHOD"}
COUNT_KINDS = ("stock", "flow", "average")


def _exchanged() -> list[Indicator]:
    return [i for i in catalogue() if i.kind in COUNT_KINDS]


def _keys(breakdown: str) -> list[str]:
    if breakdown == "sex":
        return codes.code_list(codes.SEX).codes()
    if breakdown == "age_group":
        return [str(g) for g in range(0, 85, 5)]
    if breakdown == "birth_order":
        return ["1", "2", "3+"]
    return codes.code_list({"delivery_place": codes.DELIVERY_PLACE, "method": codes.CONTRACEPTIVE_METHOD}[breakdown]).codes()


def _data_values(report: Report) -> list[tuple[str, str | None, str | None, float | int]]:
    """(indicator, breakdown, key, value) of every count of the report's unit; zeros included."""
    out: list[tuple[str, str | None, str | None, float | int]] = []
    for ind in _exchanged():
        v = report.total[ind.code]
        if v.value is None:
            continue
        out.append((ind.code, None, None, v.value))
        for b in ind.breakdowns:
            got = v.breakdowns.get(b, {})
            for key, _label in breakdown_keys(ind, b):
                out.append((ind.code, b, key, got.get(key, 0)))
    return out


def adx_period(p: Period) -> str:
    """ISO 8601 start and duration, as ADX writes periods: ``2026-07-01/P3M``."""
    return f"{p.start.isoformat()}/P{p.months}M"


def to_adx(report: Report) -> str:
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", exported=report.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
    group = ET.SubElement(root, f"{{{ADX_NS}}}group", dataSet=report.form.code, orgUnit=report.unit.code,
                          period=adx_period(report.period), completed="false")
    for code, b, key, value in _data_values(report):
        attrs = {"dataElement": code, "value": _number(value)}
        if b == "sex_age_group":  # two disaggregations of one value
            attrs["SEX"], attrs["AGE_GROUP"] = str(key).split(":")
        elif b is not None:
            attrs[ADX_ATTRIBUTES[b]] = _adx_key(key)
        ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _adx_key(key: str | None) -> str:
    return "3P" if key == "3+" else str(key)  # ADX codes are XML name tokens: no '+'


def _number(v: float | int) -> str:
    return str(round(v, 2)) if isinstance(v, float) else str(v)


def dhis2_period(p: Period) -> str:
    """DHIS2 period ids: ``202610`` (month), ``2026Q3``, ``2026S1`` (first half), ``2026``; DHIS2 has no
    nine-month period."""
    if p.kind == "month":
        return f"{p.year}{p.first_month:02d}"
    if p.kind == "quarter":
        return f"{p.year}Q{(p.first_month - 1) // 3 + 1}"
    if p.kind == "half":
        return f"{p.year}S1"
    if p.kind == "year":
        return str(p.year)
    raise ReportInputError(f"DHIS2 không có kỳ 9 tháng ({p.code}); xuất từng quý (--period {p.year}-Q1 … "
                           f"{p.year}-Q3) hoặc dùng --format adx.")


def to_dhis2(report: Report) -> str:
    period = dhis2_period(report.period)
    values = []
    for code, b, key, value in _data_values(report):
        dv = {"dataElement": code, "period": period, "orgUnit": report.unit.code, "value": _number(value)}
        if b == "sex_age_group":
            sex, group = str(key).split(":")
            dv["categoryOptionCombo"] = f"sex_{sex}_age_group_{group}"
        elif b is not None:
            dv["categoryOptionCombo"] = f"{b}_{key}"
        values.append(dv)
    return json.dumps({"dataSet": report.form.code, "period": period, "orgUnit": report.unit.code,
                       "idScheme": "CODE", "dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE",
                       "dataValues": values}, ensure_ascii=False, indent=1)


def _enum(name: str, values: list[str], docs: list[str] | None = None) -> str:
    items = "".join(
        f'<xs:enumeration value="{v}">'
        + (f"<xs:annotation><xs:documentation>{_esc(d)}</xs:documentation></xs:annotation>" if docs else "")
        + "</xs:enumeration>" for v, d in zip(values, docs or [""] * len(values), strict=True))
    return f'<xs:simpleType name="{name}"><xs:restriction base="xs:token">{items}</xs:restriction></xs:simpleType>'


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def adx_schema() -> str:
    """The W3C XML Schema of danso's ADX messages: the ADX structure (adx → group → dataValue) with the data
    elements (catalogue indicators that are counts) and disaggregations (breakdowns) enumerated."""
    from danso.domain.indicators import forms

    inds = _exchanged()
    labels = {"sex": [i.label for i in codes.code_list(codes.SEX).items],
              "age_group": [age_group_label(int(k)) for k in _keys("age_group")],
              "birth_order": ["Con thứ 1", "Con thứ 2", "Con thứ 3 trở lên"],
              "delivery_place": [i.label for i in codes.code_list(codes.DELIVERY_PLACE).items],
              "method": [i.label for i in codes.code_list(codes.CONTRACEPTIVE_METHOD).items]}
    types = [_enum("DataElementType", [i.code for i in inds], [i.name for i in inds]),
             _enum("DataSetType", list(forms())),
             *(_enum(f"{ADX_ATTRIBUTES[b]}_Type", [_adx_key(k) for k in _keys(b)], labels[b]) for b in ADX_ATTRIBUTES)]
    disaggregations = "".join(f'<xs:attribute name="{a}" type="{a}_Type"/>' for a in ADX_ATTRIBUTES.values())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{ADX_NS}" targetNamespace="{ADX_NS}"
    elementFormDefault="qualified">
<xs:annotation><xs:documentation>danso: ADX (IHE QRPH Aggregate Data Exchange) messages of the population
reports; generated from the indicator catalogue (danso.exports.exchange.adx_schema).</xs:documentation></xs:annotation>
{chr(10).join(types)}
<xs:simpleType name="PeriodType"><xs:restriction base="xs:string">
  <xs:pattern value="[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}/P[0-9]+M"/></xs:restriction></xs:simpleType>
<xs:complexType name="DataValueType">
  <xs:sequence><xs:element name="annotation" type="xs:string" minOccurs="0"/></xs:sequence>
  <xs:attribute name="dataElement" type="DataElementType" use="required"/>
  <xs:attribute name="value" type="xs:decimal" use="required"/>
  {disaggregations}
</xs:complexType>
<xs:complexType name="GroupType">
  <xs:sequence><xs:element name="dataValue" type="DataValueType" maxOccurs="unbounded"/></xs:sequence>
  <xs:attribute name="dataSet" type="DataSetType" use="required"/>
  <xs:attribute name="orgUnit" type="xs:token" use="required"/>
  <xs:attribute name="period" type="PeriodType" use="required"/>
  <xs:attribute name="completed" type="xs:boolean"/>
  <xs:attribute name="comment" type="xs:string"/>
</xs:complexType>
<xs:element name="adx">
  <xs:complexType>
    <xs:sequence><xs:element name="group" type="GroupType" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="exported" type="xs:dateTime" use="required"/>
  </xs:complexType>
</xs:element>
</xs:schema>
"""
