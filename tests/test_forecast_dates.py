"""The window of registered events a forecast derives its rates from ends on the base date, whatever the date."""
from __future__ import annotations

import datetime as dt

import pytest

from danso.services.forecasts import _window


@pytest.mark.parametrize("base, years, first", [
    (dt.date(2025, 12, 31), 3, dt.date(2023, 1, 1)),
    (dt.date(2028, 2, 29), 3, dt.date(2025, 3, 1)),  # 29 February, three years back: no 29/02/2025
    (dt.date(2028, 2, 29), 4, dt.date(2024, 3, 1)),
])
def test_the_window_covers_whole_years_up_to_the_base_date(base, years, first):
    start, end, middle = _window(base, years)
    assert (start, end) == (first, base)
    assert start < middle < end
