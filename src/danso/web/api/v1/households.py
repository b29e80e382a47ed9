"""/api/v1/households: households in the caller's scope (personal data: every response is audited)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from danso.services import scope
from danso.web.api.v1 import convert
from danso.web.api.v1.schemas import ERRORS, HouseholdOut, HouseholdPage, HouseholdRow
from danso.web.deps import ApiUser, ContextDep, PageNumber, RecordId
from danso.web.security import client_ip

router = APIRouter(prefix="/households", tags=["hộ gia đình"], responses=ERRORS)


@router.get("", response_model=HouseholdPage)
def list_households(request: Request, ctx: ContextDep, user: ApiUser,
                    unit: Annotated[str | None, Query(max_length=40, pattern=r"^[0-9A-Za-z-]+$",
                                                      description="Village or area within scope")] = None,
                    number: Annotated[str | None, Query(max_length=16, pattern=r"^[0-9.]+$")] = None,
                    page: PageNumber = 1, page_size: int = scope.PAGE_SIZE) -> HouseholdPage:
    """Active households, paginated (``page`` from 1, ``page_size`` up to 200)."""
    result = scope.list_households(ctx, user, unit_code=unit, text=number or "", page=page, page_size=page_size,
                                   export=True, ip=client_ip(request))
    items = [HouseholdRow(id=r.id, number=r.number, kind=r.kind, address=convert.address(r), area_code=r.area_code,
                          area_name=r.area_name, head_name=r.head_name, members=r.members) for r in result.rows]
    return HouseholdPage(items=items, total=result.total, page=result.page, page_size=result.page_size,
                         pages=result.pages)


@router.get("/{household_id}", response_model=HouseholdOut)
def get_household(request: Request, ctx: ContextDep, user: ApiUser, household_id: RecordId) -> HouseholdOut:
    """The Sổ A0 page of a household: members, contraception follow-up, past members."""
    return convert.household(scope.household_sheet(ctx, user, household_id, export=True, ip=client_ip(request)))
