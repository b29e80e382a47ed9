"""/api/v1/slips: collection slips of the caller's scope — list, read, enter, review."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from danso.services import scoped_slips
from danso.services.slips import SlipView
from danso.web.api.v1.schemas import ERRORS
from danso.web.deps import ApiUser, ContextDep, PageNumber, RecordId
from danso.web.security import client_ip

router = APIRouter(prefix="/slips", tags=["phiếu thu tin"], responses={**ERRORS, 409: ERRORS[404]})

Status = Literal["draft", "submitted", "accepted", "returned", "rejected"]


class SlipOut(BaseModel):
    id: int
    client_id: str
    kind: str
    kind_label: str
    area_code: str
    month: str
    status: str
    status_label: str
    data: dict[str, Any]
    late: bool
    on_behalf: bool
    reason: str
    created_by: str
    created_at: dt.datetime


class SlipIn(BaseModel):
    client_id: str = Field(min_length=1, max_length=64, description="Made by the sending device: sending the "
                                                                      "same slip twice records it once")
    kind: str = Field(max_length=40, description="Slip kind: birth, death, move_in, move_out, transfer, info_change, … (danso.domain.slips.KINDS)")
    area: str = Field(max_length=40, description="Collaborator-area code within the caller's scope")
    month: str = Field("", max_length=7, description="Reporting month YYYY-MM; default: the month of the date")
    data: dict[str, Any] = Field(description="The slip's fields (dates dd/mm/yyyy)")
    confirm: bool = Field(False, description="Confirm the warnings returned by a first attempt")


class Review(BaseModel):
    decision: Literal["accept", "return", "reject"]
    reason: str = Field("", max_length=500, description="Required to return or reject")
    confirm: bool = False


def _out(v: SlipView) -> SlipOut:
    return SlipOut(id=v.id, client_id=v.client_id, kind=v.kind, kind_label=v.label, area_code=v.area_code,
                   month=v.month, status=v.status.value, status_label=v.status.label, data=v.payload, late=v.late,
                   on_behalf=v.on_behalf, reason=v.reason, created_by=v.created_by, created_at=v.created_at)


@router.get("", response_model=list[SlipOut])
def list_slips(ctx: ContextDep, user: ApiUser, status: Status | None = None,
               month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None, page: PageNumber = 1,
               page_size: int = scoped_slips.LIST_LIMIT) -> list[SlipOut]:
    """Slips of the caller's scope, optionally of one status and month; paginated (``page_size`` ≤ 200)."""
    views = scoped_slips.list_slips(ctx, user, statuses=[status] if status else None, month=month, page=page,
                                    page_size=page_size)
    return [_out(v) for v in views]


@router.get("/{slip_id}", response_model=SlipOut)
def get_slip(ctx: ContextDep, user: ApiUser, slip_id: RecordId) -> SlipOut:
    return _out(scoped_slips.get_slip(ctx, user, slip_id))


@router.post("", response_model=SlipOut, status_code=201)
def enter_slip(request: Request, ctx: ContextDep, user: ApiUser, body: SlipIn) -> SlipOut:
    """Enter a slip and submit it for review. Errors: 422 ``invalid_input`` (nothing written) or
    ``confirmation_needed`` (send again with ``confirm``)."""
    return _out(scoped_slips.enter_slip(ctx, user, client_id=body.client_id, kind=body.kind, area_code=body.area,
                                        month=body.month, data=body.data, confirm=body.confirm,
                                        ip=client_ip(request)))


@router.post("/{slip_id}/review", response_model=SlipOut)
def review_slip(request: Request, ctx: ContextDep, user: ApiUser, slip_id: RecordId, body: Review) -> SlipOut:
    """Accept (the register changes at once), return with a reason, or reject a submitted slip (commune
    officers). 409 ``conflict`` when somebody decided first."""
    return _out(scoped_slips.review_slip(ctx, user, slip_id, body.decision, reason=body.reason,
                                         confirm=body.confirm, ip=client_ip(request)))
