"""Collection slips: a collaborator's slips, the commune's review queue, one slip and the review decision."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain import codes
from danso.domain.access import Permission
from danso.domain.problems import ConfirmationNeeded, InvalidInput, Problem, SlipConflict
from danso.domain.slips import KINDS, Status
from danso.messages_vi import FIELDS, word
from danso.services import scoped_slips
from danso.web.deps import ContextDep, PageUser, RecordId
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

STATUSES = [s.value for s in Status]


@router.get("/slips")
def slip_list(request: Request, ctx: ContextDep, user: PageUser,
              status: Annotated[str | None, Query(pattern="^(draft|submitted|accepted|returned|rejected|all)$")] = None,
              month: Annotated[str | None, Query(max_length=7, pattern=r"^(\d{4}-\d{2})?$")] = None) -> Response:
    """Reviewers land on the slips waiting for them; everybody else on all the slips of their scope."""
    if status is None:
        status = "submitted" if user.can(Permission.REVIEW_SLIPS) else "all"
    views = scoped_slips.list_slips(ctx, user, statuses=None if status == "all" else [status], month=month)
    return render(request, "slips.html", {"slips": views, "status": status, "month": month or "",
                                          "statuses": [(s, Status(s).label) for s in STATUSES],
                                          "limit": scoped_slips.LIST_LIMIT})


def _fields(view, names: dict[str, str]) -> list[tuple[str, str]]:  # noqa: ANN001
    """The slip's content as (Vietnamese field name, value with code labels and person names)."""
    kinds = {f.name: f for f in KINDS[view.kind].fields} if view.kind in KINDS else {}
    out = []
    for name, value in view.payload.items():
        f = kinds.get(name)
        shown = value
        if f is not None and f.type == "person" and str(value) in names:
            shown = f"{names[str(value)]} (mã người {value})"
        elif f is not None and f.code_list and isinstance(value, str):
            shown = f"{codes.code_list(f.code_list).label(value) or value} ({value})"
        elif isinstance(value, list | dict):
            shown = "; ".join(str(v) for v in (value if isinstance(value, list) else value.items()))
        out.append((FIELDS.get(name, name), str(shown)))
    return out


def _stored_problems(view) -> list[str]:  # noqa: ANN001
    return [word(Problem(p.get("code", ""), p.get("field", ""), "", p.get("params", {}),
                         p.get("severity", "error"))) for p in view.problems]


def _detail(request: Request, ctx, user, slip_id: int, *, problems=None, warnings=None,  # noqa: ANN001
            status_code: int = 200, notice: str = "") -> Response:
    view = scoped_slips.get_slip(ctx, user, slip_id)
    return render(request, "slip.html", {
        "slip": view, "fields": _fields(view, scoped_slips.person_names(ctx, user, view)), "stored_problems": _stored_problems(view),
        "problems": problems or [], "warnings": warnings or [], "notice": notice,
        "can_review": user.can(Permission.REVIEW_SLIPS) and view.status == Status.SUBMITTED,
        "Status": Status}, status_code=status_code)


@router.get("/slips/{slip_id}")
def slip_detail(request: Request, ctx: ContextDep, user: PageUser, slip_id: RecordId,
                done: Annotated[str, Query(pattern="^(enter|accept|return|reject)?$")] = "") -> Response:
    notice = {"enter": "Đã nộp phiếu; phiếu đang chờ xã/phường duyệt.", "accept": "Đã duyệt phiếu: sổ đã được cập nhật.", "return": "Đã trả lại phiếu cho cộng tác viên.",
              "reject": "Đã từ chối phiếu."}.get(done, "")
    return _detail(request, ctx, user, slip_id, notice=notice)


@router.post("/slips/{slip_id}/review")
def slip_review(request: Request, ctx: ContextDep, user: PageUser, slip_id: RecordId,
                decision: Annotated[str, Form(pattern="^(accept|return|reject)$")],
                reason: Annotated[str, Form(max_length=500)] = "",
                confirm: Annotated[bool, Form()] = False) -> Response:
    try:
        scoped_slips.review_slip(ctx, user, slip_id, decision, reason=reason, confirm=confirm, ip=client_ip(request))
    except ConfirmationNeeded as e:
        return _detail(request, ctx, user, slip_id, warnings=[word(p) for p in e.problems], status_code=422)
    except InvalidInput as e:
        return _detail(request, ctx, user, slip_id, problems=[word(p) for p in e.problems], status_code=422)
    except SlipConflict as e:
        return _detail(request, ctx, user, slip_id, status_code=409, problems=[
            f"Phiếu này vừa được {e.actor or 'người khác'} xử lý trước (trạng thái: {e.status}); không có gì thay đổi."])
    return RedirectResponse(f"/slips/{slip_id}?done={decision}", status_code=303)
