"""/api/v1/persons: persons in the caller's scope (personal data: every response is audited)."""
from __future__ import annotations

from fastapi import APIRouter, Request

from danso.services import scope
from danso.web.api.v1 import convert
from danso.web.api.v1.schemas import ERRORS, PersonOut, PersonSearch
from danso.web.deps import ApiUser, ContextDep, RecordId
from danso.web.security import client_ip

router = APIRouter(prefix="/persons", tags=["nhân khẩu"], responses=ERRORS)


@router.post("/search", response_model=list[PersonOut])
def search(request: Request, ctx: ContextDep, user: ApiUser, body: PersonSearch) -> list[PersonOut]:
    """Find persons by name (diacritics and case ignored), CCCD or BHYT; at most 50. A POST, so that names
    never travel in URLs."""
    return [convert.person(h) for h in scope.search_persons(ctx, user, body.text, export=True, ip=client_ip(request))]


@router.get("/{person_id}", response_model=PersonOut)
def get_person(request: Request, ctx: ContextDep, user: ApiUser, person_id: RecordId) -> PersonOut:
    """One person with their current household."""
    return convert.person(scope.person(ctx, user, person_id, ip=client_ip(request)))
