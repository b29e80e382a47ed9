"""Every validation rule of collection slips (danso.domain.slip_rules.RULES) is triggered once, with its code,
its severity and its exact Vietnamese wording; and the parsing of what a collaborator enters is refused
field by field with precise messages. Pure domain: no database."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from danso.domain.slip_rules import ERROR, RULES, WARNING, HouseholdFacts, PersonFacts, SlipFacts, check
from danso.domain.slips import KINDS, PersonRef, parse_payload, parse_person_ref
from danso.messages_vi import TEMPLATES, word

TODAY = dt.date(2026, 6, 30)
DAY = dt.date(2026, 3, 1)
RECORD = "phiếu 7"

LAN = PersonFacts(11, "Lê Thị Lan", "2", 1995, 4, 10, "2", household_id=1, relation="02", residence="1",
                  commune_id=100, children=1, living_children=1)
HUNG = PersonFacts(12, "Trần Văn Hùng", "1", 1990, 8, 2, "2", household_id=1, relation="01", residence="1",
                   commune_id=100)
HOUSE = HouseholdFacts(1, "15", "active", 100, 500, frozenset({11, 12}), head_id=12)
OTHER_HOUSE = HouseholdFacts(2, "16", "active", 100, 500, frozenset({21, 22}), head_id=21)


def facts(slip_kind: str, *, persons: dict | None = None, households: dict | None = None, members: list | None = None,
          duplicate_of: str | None = None, closed_month: str | None = None, **values) -> SlipFacts:
    values.setdefault("date", DAY)
    return SlipFacts(slip_kind, values, TODAY, RECORD, 100, persons or {}, households or {}, members or [],
                     duplicate_of, closed_month)


def who(p: PersonFacts = LAN, **changes) -> dict:
    return {"person": replace(p, **changes)}


# rule code → (facts breaking it, the exact Vietnamese message)
CASES: dict[str, tuple[SlipFacts, str]] = {
    "date.future": (facts("death", persons=who(), date=dt.date(2026, 7, 1)),
                    "phiếu 7: Ngày xảy ra 01/07/2026 ở tương lai; kiểm tra lại ngày."),
    "slip.before_birth": (facts("elderly_checkup", persons=who(), date=dt.date(1995, 4, 9)),
                          "phiếu 7: Ngày xảy ra 09/04/1995 trước ngày sinh của Lê Thị Lan; kiểm tra lại ngày."),
    "slip.person_dead": (facts("contraception_stop", persons=who(death_date=dt.date(2026, 1, 5))),
                         "phiếu 7: Lê Thị Lan đã chết ngày 05/01/2026; không thể ghi sự kiện sau ngày đó."),
    "slip.person_not_in_commune": (facts("move_out", persons=who(commune_id=101), destination="Hà Nội"),
                                   "phiếu 7: Lê Thị Lan không thuộc xã/phường của phiếu này."),
    "slip.household_not_in_commune": (facts("household_dissolve", households={"household": replace(
        HOUSE, commune_id=101, member_ids=frozenset())}),
        "phiếu 7: hộ số 15 không thuộc xã/phường của phiếu này."),
    "slip.household_dissolved": (facts("transfer", persons={"person": replace(HUNG, household_id=2)},
                                       households={"to_household": replace(HOUSE, status="dissolved")},
                                       relation="02"),
                                 "phiếu 7: hộ số 15 đã bị xóa khỏi sổ."),
    "slip.before_membership": (facts("transfer", persons=who(since=dt.date(2026, 3, 2)),
                                     households={"to_household": OTHER_HOUSE}, relation="10"),
                               "phiếu 7: Ngày xảy ra 01/03/2026 trước ngày Lê Thị Lan vào hộ hiện tại (02/03/2026); ghi "
                               "các thay đổi theo đúng thứ tự ngày (hủy thay đổi sau nếu cần)."),
    "slip.before_current": (facts("contraception_start", persons=who(method="1", method_since=dt.date(2026, 3, 5)),
                                  method="4", place="1"),
                            "phiếu 7: Ngày xảy ra 01/03/2026 trước ngày bắt đầu biện pháp tránh thai hiện tại của Lê "
                            "Thị Lan (05/03/2026); ghi các thay đổi theo đúng thứ tự ngày (hủy thay đổi sau nếu cần)."),
    "death.already_dead": (facts("death", persons=who(death_date=dt.date(2026, 1, 5)), date=dt.date(2026, 1, 4)),
                           "phiếu 7: Lê Thị Lan đã được ghi là chết ngày 05/01/2026; không ghi chết lần thứ hai."),
    "birth.mother_not_female": (facts("birth", persons={"mother": HUNG}, households={"household": HOUSE},
                                      birth_order=1),
                                "phiếu 7: người được ghi là mẹ (Trần Văn Hùng) không phải nữ; kiểm tra mã người mẹ."),
    "birth.mother_not_resident": (facts("birth", persons={"mother": replace(LAN, residence="3")},
                                        households={"household": HOUSE}, birth_order=2),
                                  "phiếu 7: mẹ (Lê Thị Lan) không phải nhân khẩu thực tế thường trú của xã vào ngày "
                                  "sinh; trẻ của người tạm trú không ghi ở đây."),
    "birth.mother_age_impossible": (facts("birth", persons={"mother": replace(LAN, birth_year=2016, birth_month=6,
                                                                              birth_day=1)},
                                          households={"household": HOUSE}, birth_order=2),
                                    "phiếu 7: mẹ (Lê Thị Lan) 9 tuổi khi sinh: ngoài khoảng 12–55 tuổi; kiểm tra ngày "
                                    "sinh của mẹ và của trẻ."),
    "birth.mother_age_unusual": (facts("birth", persons={"mother": replace(LAN, birth_year=1973, birth_month=6,
                                                                           birth_day=1)},
                                       households={"household": HOUSE}, birth_order=2),
                                 "phiếu 7: mẹ (Lê Thị Lan) 52 tuổi khi sinh (ngoài 15–49); xác nhận nếu đúng."),
    "birth.order_range": (facts("birth", persons={"mother": LAN}, households={"household": HOUSE}, birth_order=21),
                          "phiếu 7: Là con thứ “21” phải từ 1 đến 20."),
    "birth.order_too_low": (facts("birth", persons={"mother": replace(LAN, children=2, living_children=1)},
                                  households={"household": HOUSE}, birth_order=2),
                            "phiếu 7: Là con thứ 2 nhưng Lê Thị Lan đã có 2 con trong sổ; trẻ này phải là con thứ "
                            "2 + 1 trở lên."),
    "birth.order_gap": (facts("birth", persons={"mother": LAN}, households={"household": HOUSE}, birth_order=4),
                        "phiếu 7: Là con thứ 4 nhưng sổ mới có 1 con của Lê Thị Lan; xác nhận (có con chưa ghi sổ?)."),
    "birth.not_mothers_household": (facts("birth", persons={"mother": LAN}, households={"household": OTHER_HOUSE},
                                          birth_order=2),
                                    "phiếu 7: trẻ được ghi vào hộ số 16, không phải hộ của mẹ (Lê Thị Lan); xác nhận "
                                    "nếu đúng."),
    "move_out.not_resident": (facts("move_out", persons=who(residence="3"), destination="Hà Nội"),
                              "phiếu 7: Lê Thị Lan không phải nhân khẩu thực tế thường trú của hộ nào; không ghi "
                              "chuyển đi được."),
    "move_in.already_registered": (facts("move_in", persons=who(), households={"household": OTHER_HOUSE},
                                         origin="Hà Nội", relation="12"),
                                   "phiếu 7: Lê Thị Lan đang ở hộ mã 1 trong sổ; nếu chuyển hộ trong xã, dùng phiếu "
                                   "chuyển hộ."),
    "transfer.no_household": (facts("transfer", persons=who(household_id=None, relation=None, residence=None),
                                    households={"to_household": OTHER_HOUSE}, relation="12"),
                              "phiếu 7: Lê Thị Lan hiện không ở hộ nào trong sổ."),
    "transfer.same_household": (facts("transfer", persons=who(), households={"to_household": HOUSE}, relation="02"),
                                "phiếu 7: Lê Thị Lan đang ở hộ số 15 rồi."),
    "women.not_eligible": (facts("contraception_start", persons={"person": HUNG}, method="1", place="1"),
                           "phiếu 7: chỉ ghi BPTT, số con, mang thai cho phụ nữ 15–49 tuổi đang có chồng (người này "
                           "35 tuổi, hoặc không phải nữ có chồng)."),
    "contraception.same_method": (facts("contraception_start", persons=who(method="3"), method="3", place="1"),
                                  "phiếu 7: Lê Thị Lan đang dùng đúng biện pháp này; xác nhận nếu là lần dùng mới."),
    "contraception.none_to_stop": (facts("contraception_stop", persons=who()),
                                   "phiếu 7: Lê Thị Lan không có biện pháp tránh thai nào đang dùng để thôi."),
    "pregnancy.not_eligible": (facts("pregnancy", persons={"person": HUNG}, event="1"),
                               "phiếu 7: Trần Văn Hùng (35 tuổi) không thể ghi thai sản: chỉ ghi cho nữ 12–55 tuổi."),
    "pregnancy.already_pregnant": (facts("pregnancy", persons=who(pregnant=True), event="1"),
                                   "phiếu 7: Lê Thị Lan đang được ghi là mang thai; ghi kết thúc lần mang thai trước "
                                   "đã."),
    "pregnancy.not_pregnant": (facts("pregnancy", persons=who(), event="2"),
                               "phiếu 7: Lê Thị Lan không được ghi là đang mang thai; ghi “Mang thai” trước."),
    "prenatal.not_pregnant": (facts("prenatal_screening", persons=who(), week=12, conditions=["1"], place="1"),
                              "phiếu 7: Lê Thị Lan không được ghi là đang mang thai; xác nhận nếu đúng."),
    "prenatal.week": (facts("prenatal_screening", persons=who(pregnant=True), week=43, conditions=["1"], place="1"),
                      "phiếu 7: Tuần thai 43 phải từ 1 đến 42."),
    "elderly.too_young": (facts("elderly_checkup", persons=who()),
                          "phiếu 7: Lê Thị Lan mới 30 tuổi; khám sức khỏe định kỳ người cao tuổi chỉ ghi cho người từ "
                          "60 tuổi."),
    "newborn.not_newborn": (facts("newborn_screening", persons=who(birth_year=2026, birth_month=1, birth_day=1),
                                  results={"1": "1"}),
                            "phiếu 7: Lê Thị Lan đã 59 ngày tuổi khi sàng lọc (sơ sinh là ≤ 28 ngày); xác nhận nếu "
                            "đúng."),
    "marriage.already_married": (facts("marriage", persons=who()),
                                 "phiếu 7: Lê Thị Lan đang có vợ/chồng trong sổ."),
    "marriage.same_person": (facts("divorce", persons={"person": LAN, "spouse": LAN}),
                             "phiếu 7: Vợ/chồng không thể là chính người đó."),
    "marriage.underage": (facts("marriage", persons={"person": replace(HUNG, marital="1", birth_year=2006,
                                                                       birth_month=9)}),
                          "phiếu 7: Trần Văn Hùng mới 19 tuổi: chưa đủ tuổi kết hôn (nam 20, nữ 18); xác nhận nếu "
                          "đúng."),
    "divorce.not_married": (facts("divorce", persons=who(marital="1")),
                            "phiếu 7: Lê Thị Lan không được ghi là đang có vợ/chồng."),

    "head.not_member": (facts("head_change", persons={"new_head": replace(LAN, id=99)},
                              households={"household": HOUSE}, old_head_relation="02"),
                        "phiếu 7: Lê Thị Lan không phải thành viên hiện tại của hộ số 15."),
    "head.already_head": (facts("head_change", persons={"new_head": HUNG}, households={"household": HOUSE},
                                old_head_relation="02"),
                          "phiếu 7: Trần Văn Hùng đã là chủ hộ."),
    "household.has_members": (facts("household_dissolve", households={"household": HOUSE}),
                              "phiếu 7: hộ số 15 vẫn còn 2 người; ghi chuyển đi/chuyển hộ cho họ trước khi xóa hộ."),
    "household.heads": (SlipFacts("household_new", {"date": DAY, "kind": "1", "number": "30", "origin": "Hà Nội",
                                                    "members": [{"relation": "01"}, {"relation": "01"}]},
                                  TODAY, RECORD, 100),
                        "phiếu 7: hộ gia đình phải có đúng một chủ hộ (quan hệ 01), đang có 2."),
    "split.member_outside": (SlipFacts("household_split", {"date": DAY, "number": "15A",
                                                           "members": [{"relation": "01"}]}, TODAY, RECORD, 100, {},
                                       {"household": HOUSE}, [replace(LAN, id=21, full_name="Đỗ Văn Nam")]),
                             "phiếu 7: Đỗ Văn Nam không ở hộ số 15."),
    "split.everyone": (SlipFacts("household_split", {"date": DAY, "number": "15A",
                                                     "members": [{"relation": "01"}, {"relation": "02"}]},
                                 TODAY, RECORD, 100, {}, {"household": HOUSE}, [HUNG, LAN]),
                       "phiếu 7: tách hết mọi người khỏi hộ số 15 thì không phải tách hộ; dùng đổi địa chỉ hoặc lập "
                       "hộ mới."),
    "merge.same_household": (SlipFacts("household_merge", {"date": DAY, "members": [{"relation": "02"}]}, TODAY,
                                       RECORD, 100, {}, {"household": HOUSE, "merged_household": HOUSE}, [LAN]),
                             "phiếu 7: hộ nhập vào phải khác hộ nhận."),
    "merge.member_outside": (SlipFacts("household_merge", {"date": DAY, "members": [{"relation": "10"}]}, TODAY,
                                       RECORD, 100, {}, {"household": HOUSE, "merged_household": OTHER_HOUSE}, [LAN]),
                             "phiếu 7: Lê Thị Lan không ở hộ số 16."),
    "merge.members_missing": (SlipFacts("household_merge", {"date": DAY, "members": [{"relation": "10"}]}, TODAY,
                                        RECORD, 100, {}, {"household": HOUSE, "merged_household": OTHER_HOUSE},
                                        [replace(LAN, id=21)]),
                              "phiếu 7: hộ số 16 còn 1 người chưa được ghi trong danh sách nhập hộ."),
    "slip.duplicate": (facts("death", persons=who(), duplicate_of="sự kiện 345"),
                       "phiếu 7: có thể trùng: sự kiện này của cùng người, cùng ngày đã được ghi (sự kiện 345); xác "
                       "nhận nếu đúng là hai sự kiện khác nhau."),
    "slip.late": (facts("elderly_checkup", persons=who(birth_year=1950), closed_month="2026-03"),
                  "phiếu 7: tháng 2026-03 của xã đã khóa sổ (báo cáo đã duyệt); phiếu được ghi là nộp muộn."),
}


def test_every_rule_has_a_case_below_and_a_vietnamese_wording():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)), "two rules share a code"
    assert sorted(codes) == sorted(CASES)
    assert [c for c in codes if c not in TEMPLATES] == []


@pytest.mark.parametrize("code", list(CASES))
def test_the_rule_is_triggered_with_its_severity_and_worded_in_vietnamese(code):
    rule = next(r for r in RULES if r.code == code)
    the_facts, message = CASES[code]
    found = [p for p in check(the_facts) if p.code == code]
    assert len(found) == 1, check(the_facts)
    p = found[0]
    assert p.severity == rule.severity
    assert p.field == rule.field
    assert word(p) == message


def test_the_warnings_are_exactly_the_confirmable_rules_and_errors_come_first():
    assert {r.code for r in RULES if r.severity == WARNING} == {
        "birth.mother_age_unusual", "birth.order_gap", "birth.not_mothers_household", "contraception.same_method",
        "prenatal.not_pregnant", "newborn.not_newborn", "marriage.underage", "slip.duplicate", "slip.late"}
    assert {r.severity for r in RULES} == {ERROR, WARNING}
    # an unusual mother's age (warning) together with a birth order out of range (error): the error first
    mixed = facts("birth", persons={"mother": replace(LAN, birth_year=1973, birth_month=6, birth_day=1)},
                  households={"household": HOUSE}, birth_order=0, closed_month="2026-03")
    problems = check(mixed)
    assert [p.severity for p in problems] == sorted((p.severity for p in problems), key=lambda s: s != ERROR)
    assert problems[0].code == "birth.order_range"
    assert {p.code for p in problems} >= {"birth.order_range", "birth.mother_age_unusual", "slip.late"}


def test_a_valid_slip_breaks_no_rule():
    good = [
        facts("birth", persons={"mother": LAN}, households={"household": HOUSE}, birth_order=2),
        facts("contraception_start", persons=who(), method="3", place="1"),
        facts("pregnancy", persons=who(), event="1"),
        facts("pregnancy", persons=who(pregnant=True), event="4"),
        facts("divorce", persons={"person": LAN, "spouse": HUNG}),
        facts("head_change", persons={"new_head": LAN}, households={"household": HOUSE}, old_head_relation="02"),
        facts("elderly_checkup", persons=who(birth_year=1960, birth_month=1, birth_day=1)),
        facts("death", persons=who(), date=TODAY),
    ]
    for f in good:
        assert check(f) == [], f.kind


def test_both_spouses_named_on_a_marriage_or_a_divorce_are_checked():
    single = replace(HUNG, marital="1", full_name="Phan Văn Tú")
    married = facts("marriage", persons={"person": single, "spouse": LAN})
    assert [word(p) for p in check(married)] == ["phiếu 7: Lê Thị Lan đang có vợ/chồng trong sổ."]
    divorce = facts("divorce", persons={"person": HUNG, "spouse": replace(LAN, marital="1")})
    assert [word(p) for p in check(divorce)] == ["phiếu 7: Lê Thị Lan không được ghi là đang có vợ/chồng."]
    assert check(facts("marriage", persons={"person": single, "spouse": replace(LAN, marital="3")})) == []


def test_a_rule_only_looks_at_the_kinds_it_is_declared_for():
    # a 30-year-old's death is fine; the elderly check-up rule does not apply to it
    assert check(facts("death", persons=who())) == []
    assert [p.code for p in check(facts("elderly_checkup", persons=who()))] == ["elderly.too_young"]
    # boundaries: exactly 60 on the day is old enough; 28 days old is still a newborn
    sixty = who(birth_year=1966, birth_month=3, birth_day=1)
    assert check(facts("elderly_checkup", persons=sixty)) == []
    assert check(facts("newborn_screening", persons=who(birth_year=2026, birth_month=2, birth_day=1),
                       results={"1": "1"})) == []
    assert [p.code for p in check(facts("newborn_screening", persons=who(birth_year=2026, birth_month=1,
                                                                         birth_day=31), results={"1": "1"}))] == \
        ["newborn.not_newborn"]


# ---------------------------------------------------------------------------------------------------------
# parsing what was entered


def parsed(kind, data):  # noqa: ANN001, ANN201
    return parse_payload(kind, data, RECORD)


def worded(kind, data) -> list[str]:  # noqa: ANN001
    values, problems = parsed(kind, data)
    assert values is None
    return [word(p) for p in problems]


def test_an_unknown_slip_kind_is_refused_naming_the_kinds_there_are():
    assert worded("wedding", {"date": "01/03/2026"}) == [
        f"phiếu 7: loại phiếu “wedding” không có; các loại phiếu: {', '.join(KINDS)}."]


def test_missing_fields_are_each_named_in_vietnamese():
    assert worded("death", {}) == ["phiếu 7: chưa ghi Người.", "phiếu 7: chưa ghi Ngày xảy ra."]
    assert worded("move_out", {"person": "12", "date": "01/03/2026", "destination": "  "}) == [
        "phiếu 7: chưa ghi Nơi chuyển đến."]


def test_bad_dates_are_refused_with_the_expected_form():
    assert worded("death", {"person": 12, "date": "31/02/2026"}) == [
        "phiếu 7: Ngày xảy ra “31/02/2026” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy)."]
    assert worded("death", {"person": 12, "date": "hôm qua"}) == [
        "phiếu 7: Ngày xảy ra “hôm qua” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy)."]


def test_codes_outside_their_list_are_refused_naming_the_list():
    assert worded("contraception_start", {"person": 12, "date": "01/03/2026", "method": "99", "place": "1"}) == [
        "phiếu 7: Biện pháp tránh thai “99” không có trong danh mục Biện pháp tránh thai; xem `danso codes`."]
    assert worded("prenatal_screening", {"person": 12, "date": "01/03/2026", "week": "12", "conditions": "1;9",
                                         "place": "1"}) == [
        "phiếu 7: Bệnh được sàng lọc “9” không có trong danh mục Bệnh được sàng lọc trước sinh; xem `danso codes`."]


def test_screening_results_must_be_condition_equals_result():
    assert worded("newborn_screening", {"person": 12, "date": "01/03/2026", "results": "1-1"}) == [
        "phiếu 7: Kết quả sàng lọc phải ghi theo dạng mã bệnh = mã kết quả (ví dụ 1=1;2=1), đang ghi “1-1”."]
    assert worded("newborn_screening", {"person": 12, "date": "01/03/2026", "results": "1=7"}) == [
        "phiếu 7: Kết quả sàng lọc “7” không có trong danh mục Kết quả sàng lọc; xem `danso codes`."]
    values, problems = parsed("newborn_screening", {"person": 12, "date": "01/03/2026", "results": "1=1; 5=2"})
    assert problems == [] and values["results"] == {"1": "1", "5": "2"}


def test_person_references_are_an_id_a_cccd_or_a_bhyt_number():
    assert parse_person_ref(12) == PersonRef("id", "12")
    assert parse_person_ref(" 0012 ") == PersonRef("id", "12")
    assert parse_person_ref("031 190 000 123") == PersonRef("cccd", "031190000123")
    assert parse_person_ref("gd4310000000001") == PersonRef("bhyt", "GD4310000000001")
    for bad in (0, -3, True, "Nguyễn Văn A", "12ab", "0"):
        assert parse_person_ref(bad) is None, bad
    assert worded("death", {"person": "Nguyễn Văn A", "date": "01/03/2026"}) == [
        "phiếu 7: Người “Nguyễn Văn A” phải là mã người trong sổ, số CCCD (12 số) hoặc mã thẻ BHYT (15 ký tự)."]


def test_numbers_and_household_ids_must_be_numbers():
    assert worded("household_dissolve", {"household": "hộ 3", "date": "01/03/2026"}) == [
        "phiếu 7: Hộ phải là một số (đang ghi “hộ 3”)."]
    assert worded("household_dissolve", {"household": "-3", "date": "01/03/2026"}) == [
        "phiếu 7: Hộ phải là một số (đang ghi “-3”)."]
    assert worded("prenatal_screening", {"person": 12, "date": "01/03/2026", "week": "mười", "conditions": "1",
                                         "place": "1"}) == ["phiếu 7: Tuần thai phải là một số (đang ghi “mười”)."]


def test_an_info_change_must_change_something():
    assert worded("info_change", {"person": 12, "date": "01/03/2026"}) == [
        "phiếu 7: phiếu thay đổi thông tin chưa ghi thông tin mới nào."]


def test_a_move_in_of_a_new_person_needs_who_they_are():
    assert worded("move_in", {"household": 1, "date": "01/03/2026", "origin": "Hà Nội"}) == [
        "phiếu 7: chưa ghi Họ và tên.", "phiếu 7: chưa ghi Giới tính.", "phiếu 7: chưa ghi Ngày sinh.",
        "phiếu 7: chưa ghi Dân tộc.", "phiếu 7: chưa ghi Quan hệ với chủ hộ."]
    values, problems = parsed("move_in", {"household": 1, "date": "01/03/2026", "origin": "Hà Nội", "person": 12,
                                          "relation": "12"})
    assert problems == [] and values["person"] == PersonRef("id", "12")


def test_household_members_are_checked_one_by_one_naming_the_member():
    data = {"date": "01/03/2026", "number": "40", "kind": "1", "origin": "Nam Định",
            "members": [{"full_name": "Phan Văn Tú", "sex": "1", "birth": "1980", "ethnicity": "01",
                         "relation": "01"}, {"full_name": "Phan Thị Mai", "sex": "3", "birth": "1982",
                                             "ethnicity": "01", "relation": "02"}, "Phan Văn Bé"]}
    assert worded("household_new", data) == [
        "phiếu 7, người 2: Giới tính “3” không có trong danh mục Giới tính; xem `danso codes`.",
        "phiếu 7, người 3: mỗi mục trong Thành viên phải là một đối tượng JSON."]
    assert worded("household_new", {**data, "members": []}) == ["phiếu 7: chưa ghi Thành viên."]


def test_a_slip_that_is_not_an_object_is_refused():
    assert worded("death", ["12", "01/03/2026"]) == [
        "phiếu 7: mỗi mục trong Nội dung phiếu phải là một đối tượng JSON."]


def test_a_well_entered_slip_parses_to_typed_values():
    values, problems = parsed("birth", {"household": " 3 ", "date": "05/03/2026", "mother": "11",
                                        "full_name": "  nguyễn   văn  bé ", "sex": "1", "ethnicity": "01",
                                        "relation": "03", "place": "1", "birth_order": "2"})
    assert problems == []
    assert values["household"] == 3 and values["birth_order"] == 2 and values["date"] == dt.date(2026, 3, 5)
    assert values["mother"] == PersonRef("id", "11")
    assert values["full_name"] == "Nguyễn Văn Bé"
