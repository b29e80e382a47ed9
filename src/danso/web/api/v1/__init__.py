"""/api/v1: the same services as the pages, for integrations, with token authentication."""
from __future__ import annotations

from fastapi import APIRouter

from danso.web.api.v1 import households, me, persons, reports, slips, units

router = APIRouter(prefix="/api/v1")
for module in (me, units, households, persons, slips, reports):
    router.include_router(module.router)
