"""/api/v1/me: who the token belongs to."""
from __future__ import annotations

from fastapi import APIRouter

from danso.web.api.v1.schemas import ERRORS, Me
from danso.web.deps import ApiUser

router = APIRouter(tags=["tài khoản"], responses=ERRORS)


@router.get("/me", response_model=Me)
def me(user: ApiUser) -> Me:
    """The account of the token: role and scope."""
    return Me(login=user.login, full_name=user.full_name, role=user.role.value, role_label=user.role.label,
              scope_code=user.scope_code, scope_name=user.scope_name)
