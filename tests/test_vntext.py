"""Vietnamese text: folding for search, tidying names, dd/mm/yyyy dates."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danso.domain.ages import age_group, age_group_label, age_on
from danso.domain.vntext import DateParseError, fold, format_date, parse_date, tidy_name


@pytest.mark.parametrize(("text", "folded"), [
    ("Nguyễn Văn A", "nguyen van a"),
    ("ĐẶNG THỊ HỒNG", "dang thi hong"),
    ("  Trần   Thị\tLan ", "tran thi lan"),
    ("Lưu Ngọc Ánh", "luu ngoc anh"),
    ("Phạm Thị Mận", "pham thi man"),
    ("Võ Hữu Đức", "vo huu duc"),
    ("Ỷ Lan Ỹ Ỵ", "y lan y y"),
    ("nguyen van a", "nguyen van a"),
])
def test_fold_removes_diacritics_and_case_and_collapses_spaces(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_and_precomposed_vietnamese_alike():
    name = "Nguyễn Thị Phượng"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "nguyen thi phuong"


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
                        "AĂÂĐÊÔƠƯÀÁẠỨỰ ", max_size=30))
def test_fold_is_idempotent_and_gives_lower_case_ascii_for_vietnamese_text(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower() == fold(folded)
    assert "  " not in folded and folded == folded.strip()


def test_tidy_name_capitalises_each_word_and_keeps_the_diacritics():
    assert tidy_name("nguyễn   văn  an") == "Nguyễn Văn An"
    assert tidy_name("TRẦN THỊ ĐÀO") == "Trần Thị Đào"
    assert tidy_name(unicodedata.normalize("NFD", "lê thị ánh")) == unicodedata.normalize("NFC", "Lê Thị Ánh")


@pytest.mark.parametrize(("text", "day"), [
    ("05/01/1990", dt.date(1990, 1, 5)),
    ("5/1/1990", dt.date(1990, 1, 5)),
    ("29/02/2024", dt.date(2024, 2, 29)),
    ("31.12.2025", dt.date(2025, 12, 31)),
    ("01-07-2025", dt.date(2025, 7, 1)),
    (" 1990-01-05 ", dt.date(1990, 1, 5)),
])
def test_dates_are_read_day_first(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2020", "29/02/2023", "00/01/2000", "12/13/2000", "32/01/2000",
                                  "2000-02-30"])
def test_a_date_that_does_not_exist_is_refused_saying_so(text):
    with pytest.raises(DateParseError, match="không tồn tại"):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "hôm qua", "1990", "05/01/90", "05/01/1990 10:00", "1990/01/05"])
def test_a_date_not_written_dd_mm_yyyy_is_refused_naming_the_format(text):
    with pytest.raises(DateParseError, match="dd/mm/yyyy"):
        parse_date(text)


def test_dates_are_written_dd_mm_yyyy_and_none_as_empty():
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert format_date(None) == ""


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2300, 12, 31)))
def test_formatting_then_parsing_a_date_gives_it_back(day):
    assert parse_date(format_date(day)) == day


def test_ages_are_completed_years_and_a_year_only_birth_counts_from_the_first_of_january():
    assert age_on(1990, 7, 15, dt.date(2025, 7, 14)) == 34
    assert age_on(1990, 7, 15, dt.date(2025, 7, 15)) == 35
    assert age_on(1990, None, None, dt.date(2025, 1, 1)) == 35
    assert age_on(1990, None, None, dt.date(2024, 12, 31)) == 34


def test_age_groups_are_five_years_wide_and_open_from_eighty():
    assert [age_group(a) for a in (0, 4, 5, 49, 79, 80, 104)] == [0, 0, 5, 45, 75, 80, 80]
    assert age_group_label(15) == "15–19" and age_group_label(80) == "80+"
