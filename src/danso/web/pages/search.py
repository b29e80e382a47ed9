"""Search of persons (name without diacritics, CCCD, BHYT) and households (number) in the user's scope."""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from danso.domain.access import Permission, require
from danso.domain.problems import InvalidInput
from danso.messages_vi import word
from danso.services import scope
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

HOUSEHOLD_NUMBER = re.compile(r"^\d{1,6}(\.\d{1,3})?$")


@router.get("/search")
def search_form(request: Request, user: PageUser) -> Response:
    require(user, Permission.READ_REGISTER)
    return render(request, "search.html", {"text": "", "persons": None, "households": None})


@router.post("/search")
def search(request: Request, ctx: ContextDep, user: PageUser,
           text: Annotated[str, Form(max_length=100)] = "") -> Response:
    """A household number (``12``, ``100.1``) lists households; anything else searches persons."""
    text = text.strip()
    persons = households = None
    problems: list[str] = []
    try:
        if HOUSEHOLD_NUMBER.match(text):
            households = scope.list_households(ctx, user, text=text)
        else:
            persons = scope.search_persons(ctx, user, text)
    except InvalidInput as e:
        problems = [word(p) for p in e.problems]
    template = "_search_results.html" if request.headers.get("hx-request") else "search.html"
    return render(request, template, {"text": text, "persons": persons, "households": households,
                                      "problems": problems}, status_code=422 if problems else 200)
