"""Wire format of /api/v1 (Pydantic models; the services' dataclasses never leave the server as such)."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine code: invalid_input, not_found, forbidden, unauthorized…")
    message: str = Field(description="Vietnamese message for the user")
    problems: list[str] | None = Field(None, description="Each problem of the input, in Vietnamese")


class Error(BaseModel):
    error: ErrorBody


ERRORS = {401: {"model": Error}, 403: {"model": Error}, 404: {"model": Error}, 422: {"model": Error}}


class Me(BaseModel):
    login: str
    full_name: str
    role: str
    role_label: str
    scope_code: str
    scope_name: str


class UnitOut(BaseModel):
    code: str
    level: str
    level_label: str
    name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class UnitDetail(BaseModel):
    unit: UnitOut
    ancestors: list[UnitOut] = Field(description="Within the caller's scope, top down")
    children: list[UnitOut]
    on: dt.date = Field(description="Date of the hierarchy shown")


class AgeGroup(BaseModel):
    age_group: str
    male: int
    female: int


class CommuneCount(BaseModel):
    code: str
    name: str
    households: int
    persons: int


class SummaryOut(BaseModel):
    unit: UnitOut
    on: dt.date
    households: int
    family_households: int
    persons: int
    male: int
    female: int
    pyramid: list[AgeGroup]
    communes: list[CommuneCount]


class HouseholdRow(BaseModel):
    id: int
    number: str
    kind: str
    address: str
    area_code: str
    area_name: str
    head_name: str | None
    members: int


class HouseholdPage(BaseModel):
    items: list[HouseholdRow]
    total: int
    page: int
    page_size: int
    pages: int


class ContraceptiveUse(BaseModel):
    method: str
    method_label: str
    start_date: dt.date
    end_date: dt.date | None


class MemberOut(BaseModel):
    person_id: int
    full_name: str
    sex: str
    birth: str = Field(description="dd/mm/yyyy, or the year when only the year is known")
    relation: str
    residence: str
    ethnicity: str
    education: str
    marital: str
    cccd: str | None
    bhyt: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    contraception: list[ContraceptiveUse]
    living_sons: int | None
    living_daughters: int | None
    pregnant: bool


class HouseholdOut(BaseModel):
    id: int
    number: str
    kind: str
    address: str
    status: str
    established_on: dt.date
    area: UnitOut
    hierarchy: list[UnitOut]
    members: list[MemberOut]
    past_members: list[MemberOut]


class PersonSearch(BaseModel):
    text: str = Field(min_length=1, max_length=100, description="Name (diacritics optional), CCCD or BHYT")


class PersonOut(BaseModel):
    id: int
    full_name: str
    sex: str
    birth: str
    cccd: str | None
    bhyt: str | None
    household_id: int | None
    household_number: str | None
    area_code: str | None
