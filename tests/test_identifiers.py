"""CCCD / mã định danh and BHYT numbers: shape, province code, century and sex digit, year of birth."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danso.domain.identifiers import (
    PROVINCE_CODES,
    SEX_FEMALE,
    SEX_MALE,
    bhyt_problems,
    cccd_problems,
    make_cccd,
    normalise_bhyt,
    normalise_cccd,
)
from danso.messages_vi import word


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_well_formed_cccd_consistent_with_sex_and_year_has_no_problem():
    assert cccd_problems("031085001234", sex=SEX_MALE, birth_year=1985) == []
    assert cccd_problems("031188004321", sex=SEX_FEMALE, birth_year=1988) == []
    assert cccd_problems("031213000777", sex=SEX_MALE, birth_year=2013) == []


def test_spaces_dots_and_dashes_in_a_cccd_are_ignored():
    assert normalise_cccd(" 031 085.001-234 ") == "031085001234"
    assert cccd_problems("031 085 001 234", sex=SEX_MALE, birth_year=1985) == []


@pytest.mark.parametrize("value", ["03108500123", "0310850012345", "03108500123A", "", "031085 00123x"])
def test_a_cccd_that_is_not_twelve_digits_is_refused_for_its_shape(value):
    problems = cccd_problems(value, sex=None, birth_year=None, record="hộ 1, người 1", field="cccd")
    assert codes(problems) == ["cccd.shape"]
    assert problems[0].record == "hộ 1, người 1" and problems[0].field == "cccd"


@pytest.mark.parametrize("value", ["003085001234", "099085001234", "131085001234"])
def test_a_cccd_whose_province_of_birth_registration_does_not_exist_is_refused(value):
    problems = cccd_problems(value, sex=SEX_MALE, birth_year=1985)
    assert codes(problems) == ["cccd.province"]
    assert problems[0].params["code"] == value[:3]


def test_the_fourth_digit_encodes_the_century_and_the_sex():
    # 0/1: 1900s man/woman; 2/3: 2000s; 4/5: 2100s
    assert cccd_problems("001085000001", sex=SEX_MALE, birth_year=1985) == []
    assert cccd_problems("001185000001", sex=SEX_FEMALE, birth_year=1985) == []
    assert cccd_problems("001205000001", sex=SEX_MALE, birth_year=2005) == []
    assert cccd_problems("001305000001", sex=SEX_FEMALE, birth_year=2005) == []
    assert codes(cccd_problems("001085000001", sex=SEX_FEMALE, birth_year=1985)) == ["cccd.sex_mismatch"]
    assert codes(cccd_problems("001305000001", sex=SEX_MALE, birth_year=2005)) == ["cccd.sex_mismatch"]


def test_a_cccd_of_another_year_of_birth_is_refused_with_both_years():
    problems = cccd_problems("031085001234", sex=SEX_MALE, birth_year=1986)
    assert codes(problems) == ["cccd.year_mismatch"]
    assert (problems[0].params["cccd_year"], problems[0].params["birth_year"]) == (1985, 1986)
    # the same two digits in the wrong century
    problems = cccd_problems("031285001234", sex=SEX_MALE, birth_year=1985)
    assert codes(problems) == ["cccd.year_mismatch"]
    assert problems[0].params["cccd_year"] == 2085


def test_every_problem_of_a_cccd_is_reported_at_once():
    assert sorted(codes(cccd_problems("099185001234", sex=SEX_MALE, birth_year=1990))) == [
        "cccd.province", "cccd.sex_mismatch", "cccd.year_mismatch"]


@given(province=st.sampled_from(sorted(PROVINCE_CODES)), sex=st.sampled_from([SEX_MALE, SEX_FEMALE]),
       year=st.integers(1900, 2299), serial=st.integers(0, 10**7))
def test_make_cccd_builds_a_number_that_the_checks_accept(province, sex, year, serial):
    value = make_cccd(province, sex, year, serial)
    assert len(value) == 12 and value.isdigit()
    assert value[1:3] == province
    assert cccd_problems(value, sex=sex, birth_year=year) == []
    other = SEX_FEMALE if sex == SEX_MALE else SEX_MALE
    assert codes(cccd_problems(value, sex=other, birth_year=year)) == ["cccd.sex_mismatch"]


@pytest.mark.parametrize("value", ["GD4313120000001", "TE1013120000004", "HS4793120000003", "1234567890",
                                   "gd4 31 3120000001"])
def test_a_bhyt_card_number_or_a_ten_digit_social_insurance_number_is_accepted(value):
    assert bhyt_problems(value) == []


def test_a_bhyt_number_is_normalised_to_upper_case_without_separators():
    assert normalise_bhyt("gd4-31.3120000001 ") == "GD4313120000001"


@pytest.mark.parametrize("value", ["GD431312000000", "GD43131200000012", "G14313120000001", "GD6313120000001",
                                   "GD0313120000001", "123456789", "12345678901", "GDX313120000001"])
def test_a_bhyt_number_of_another_shape_is_refused(value):
    problems = bhyt_problems(value, record="hộ 3, người 2", field="bhyt")
    assert codes(problems) == ["bhyt.shape"]
    assert (problems[0].record, problems[0].field) == ("hộ 3, người 2", "bhyt")


def test_a_bhyt_card_with_an_unknown_province_code_is_refused():
    problems = bhyt_problems("GD4993120000001")
    assert codes(problems) == ["bhyt.province"]
    assert problems[0].params["code"] == "99"


def test_identifier_problems_are_worded_in_vietnamese_naming_the_record_and_the_field():
    [p] = cccd_problems("031085001234", sex=SEX_FEMALE, birth_year=1985, record="hộ 7, người 2 (Trần Thị Lan)")
    assert word(p) == ("hộ 7, người 2 (Trần Thị Lan): số CCCD 031085001234 không khớp giới tính "
                       "(chữ số thứ 4 mã hóa thế kỷ và giới tính).")
    [p] = bhyt_problems("GD43131", record="hộ 7, người 3")
    assert word(p).startswith("hộ 7, người 3: mã thẻ BHYT “GD43131” phải gồm 15 ký tự")
