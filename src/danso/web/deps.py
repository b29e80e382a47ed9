"""FastAPI dependencies: the context, the signed-in user (pages) and the token's user (API)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from danso.bootstrap import Context
from danso.domain.access import Principal
from danso.services import accounts
from danso.web.security import SESSION_COOKIE


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form."""


class TokenRequired(Exception):
    """No valid API token: the API answers 401."""


def get_context(request: Request) -> Context:
    return request.app.state.context


ContextDep = Annotated[Context, Depends(get_context)]


def page_user(request: Request, ctx: ContextDep) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    principal = accounts.principal_for_session(ctx, token) if token else None
    if principal is None:
        raise LoginRequired()
    request.state.principal = principal
    return principal


def api_user(request: Request, ctx: ContextDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    principal = accounts.principal_for_api_token(ctx, token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        raise TokenRequired()
    return principal


PageUser = Annotated[Principal, Depends(page_user)]
ApiUser = Annotated[Principal, Depends(api_user)]

# Ids in addresses and page numbers: bounded, so that a number too large for the database's integers is a 422
# (a clear message), never a 500.
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
