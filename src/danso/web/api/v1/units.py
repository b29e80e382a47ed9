"""/api/v1/units: units in the caller's scope and their statistics."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from danso.services import scope
from danso.web.api.v1 import convert
from danso.web.api.v1.schemas import ERRORS, AgeGroup, CommuneCount, SummaryOut, UnitDetail
from danso.web.charts import FEMALE, MALE
from danso.domain.ages import age_group_label
from danso.web.deps import ApiUser, ContextDep

router = APIRouter(prefix="/units", tags=["đơn vị hành chính"], responses=ERRORS)

Code = Annotated[str, Path(max_length=40, pattern=r"^[0-9A-Za-z-]+$", description="Unit code, e.g. 31, 10507")]


@router.get("/{code}", response_model=UnitDetail)
def get_unit(ctx: ContextDep, user: ApiUser, code: Code) -> UnitDetail:
    """A unit in the caller's scope, its ancestors (within scope) and its children."""
    page = scope.unit_page(ctx, user, code)
    return UnitDetail(unit=convert.unit(page.unit), ancestors=[convert.unit(a) for a in page.ancestors],
                      children=[convert.unit(c) for c in page.children], on=page.on)


@router.get("/{code}/summary", response_model=SummaryOut)
def unit_summary(ctx: ContextDep, user: ApiUser, code: Code) -> SummaryOut:
    """Households and resident population by sex, 5-year age group and commune (no personal data)."""
    sm = scope.unit_summary(ctx, user, code)
    return SummaryOut(
        unit=convert.unit(sm.unit), on=sm.on, households=sm.households, family_households=sm.family_households,
        persons=sm.persons, male=sm.by_sex[MALE], female=sm.by_sex[FEMALE],
        pyramid=[AgeGroup(age_group=age_group_label(g), male=c[MALE], female=c[FEMALE]) for g, c in sm.pyramid.items()],
        communes=[CommuneCount(code=u.code, name=u.name, households=hh, persons=n) for u, hh, n, _ in sm.communes])
