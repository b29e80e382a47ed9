"""Ids and page numbers beyond the database's integers are refused with a clear 422, never a server error
(PostgreSQL's integer ends at 2,147,483,647; SQLite's at 2^63 - 1)."""
from __future__ import annotations

import pytest

TOO_BIG = ["2147483648", "9223372036854775808"]


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize("path", ["/api/v1/households/{n}", "/api/v1/persons/{n}", "/api/v1/slips/{n}",
                                  "/api/v1/households?page={n}", "/api/v1/slips?page={n}"])
def test_the_api_answers_422_in_its_error_format(world, api_as, path, number):
    r = api_as("xa").get(path.format(n=number))
    assert r.status_code == 422, (r.status_code, r.text[:200])
    assert r.json()["error"]["code"] == "invalid_input" and r.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/households/{n}", "/households/{n}/print", "/slips/{n}"])
def test_pages_answer_422_with_a_vietnamese_page(world, pages_as, path):
    r = pages_as("xa").get(path.format(n=TOO_BIG[1]))
    assert r.status_code == 422, (r.status_code, r.text[:200])
    assert "<html" in r.text and "không hợp lệ" in r.text
