"""Submission and approval of reports: the rules (danso.domain.submissions) directly, then the service on both
engines — every transition and the forbidden ones, who may act and where (scope), figures frozen as submitted,
months closed by approval and late slips counted, reopening, the province's side-by-side status, and two
approvals at once on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from danso.domain.access import AccessDenied, Principal, Role
from danso.domain.periods import parse_period
from danso.domain.problems import InvalidInput, NotFound
from danso.domain.submissions import (
    TRANSITIONS,
    Action,
    NotAllowed,
    ReportConflict,
    State,
    actor_problem,
    allowed,
    deadline,
    frame_date,
    is_late,
)
from danso.domain.units import Level, Unit
from danso.exports.machine import report_dict
from danso.messages_vi import word
from danso.services import accounts
from danso.services import report_submissions as svc
from danso.services.reports import build_report
from danso.storage import slips_repo
from danso.storage.accounts_tables import audit_log
from danso.storage.tables import closed_months
from factories import COMMUNE, PROVINCE
from slip_factories import Slips
from test_slips_concurrency import POSTGRES_ONLY, at_once

import danso.messages_reports  # noqa: F401 - wording of the report problems

UTC = dt.UTC


def vn(day: str, hour: int = 10) -> dt.datetime:
    """A moment given in Vietnam's time (dd/mm/yyyy, hour), as the service receives it (UTC)."""
    d = dt.datetime.strptime(day, "%d/%m/%Y")
    return d.replace(hour=hour, tzinfo=dt.timezone(dt.timedelta(hours=7))).astimezone(UTC)


# ---------------------------------------------------------------------------------------------------------
# the rules

def test_each_action_moves_a_report_only_from_the_states_it_may_start_from():
    expected = {
        Action.SUBMIT: {State.MISSING, State.RETURNED, State.REOPENED},
        Action.APPROVE: {State.SUBMITTED},
        Action.RETURN: {State.SUBMITTED},
        Action.REOPEN: {State.APPROVED},
    }
    for action in Action:
        assert {s for s in State if allowed(action, s)} == expected[action], action
    assert {a: TRANSITIONS[a][1] for a in Action} == {
        Action.SUBMIT: State.SUBMITTED, Action.APPROVE: State.APPROVED, Action.RETURN: State.RETURNED,
        Action.REOPEN: State.REOPENED}
    assert [s.label for s in State] == ["Chưa nộp", "Đã nộp, chờ duyệt", "Bị trả lại", "Đã duyệt", "Đã mở lại"]


@pytest.mark.parametrize(("period", "due"), [
    ("2026-10", dt.date(2026, 11, 6)),  # ends on a Saturday: Mon 2 … Fri 6 November
    ("2026-Q3", dt.date(2026, 10, 7)),  # ends on a Wednesday: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 October
    ("2025", dt.date(2026, 1, 8)),  # 1 January is a holiday: Fri 2, Mon 5 … Thu 8 January
    ("2026-04", dt.date(2026, 5, 8)),  # 1 May (a Friday) is a holiday: Mon 4 … Fri 8 May
    ("2026-08", dt.date(2026, 9, 8)),  # 2 September (a Wednesday) is a holiday: 1, 3, 4, 7, 8 September
    ("2026-6T", dt.date(2026, 7, 7)),  # 6 and 9 months: the same rule
])
def test_a_commune_report_is_due_five_working_days_after_its_period(period, due):
    assert deadline(parse_period(period)) == due


def test_lateness_is_judged_on_vietnams_calendar_day():
    q3 = parse_period("2026-Q3")  # due 07/10/2026
    assert not is_late(q3, vn("07/10/2026", 23))  # 16:00 UTC
    assert is_late(q3, vn("08/10/2026", 0))  # still 07/10 in UTC
    assert not is_late(q3, dt.datetime(2026, 10, 7, 16, 59))  # a naive time is UTC: 23:59 in Vietnam


def _p(role: Role, scope: int | None) -> Principal:
    return Principal(1, "u", "U", role, scope)


def test_the_commune_submits_and_only_the_unit_above_decides():
    commune, district, province = 10, 20, 30
    for action in Action:
        assert actor_problem(action, _p(Role.ADMINISTRATOR, None), commune, province, Level.PROVINCE) is None
    assert actor_problem(Action.SUBMIT, _p(Role.COMMUNE_OFFICER, commune), commune, province, Level.PROVINCE) is None
    for who in (_p(Role.COMMUNE_OFFICER, 11), _p(Role.PROVINCE_OFFICER, province), _p(Role.NATIONAL_VIEWER, None)):
        assert "Chỉ cán bộ dân số của chính xã/phường" in actor_problem(Action.SUBMIT, who, commune, province,
                                                                       Level.PROVINCE)
    for action in (Action.APPROVE, Action.RETURN, Action.REOPEN):
        assert actor_problem(action, _p(Role.PROVINCE_OFFICER, province), commune, province, Level.PROVINCE) is None
        assert actor_problem(action, _p(Role.DISTRICT_OFFICER, district), commune, district, Level.DISTRICT) is None
        # the province does not decide for a district, nor a district for the province, nor anyone elsewhere
        refused = [(_p(Role.PROVINCE_OFFICER, province), district, Level.DISTRICT),
                   (_p(Role.DISTRICT_OFFICER, district), province, Level.PROVINCE),
                   (_p(Role.PROVINCE_OFFICER, 31), province, Level.PROVINCE),
                   (_p(Role.COMMUNE_OFFICER, commune), province, Level.PROVINCE),
                   (_p(Role.NATIONAL_VIEWER, None), province, Level.PROVINCE)]
        for who, parent, level in refused:
            problem = actor_problem(action, who, commune, parent, level, "Quận Hồng Bàng")
            assert problem == (f"Chỉ cán bộ dân số của Quận Hồng Bàng (đơn vị nhận báo cáo) hoặc quản trị hệ thống "
                               f"được {action.label} báo cáo này."), (who.role, level)


def test_a_report_is_drawn_on_the_units_of_its_period_when_its_unit_was_in_force():
    old = Unit("303", Level.DISTRICT, "Quận Hồng Bàng", valid_to=dt.date(2025, 6, 30))
    new = Unit("11602", Level.COMMUNE, "Phường Hồng An", valid_from=dt.date(2025, 7, 1))
    today = dt.date(2026, 11, 23)
    assert frame_date(old, parse_period("2025-Q1"), today) == dt.date(2025, 3, 31)
    assert frame_date(old, parse_period("2025-Q3"), today) is None  # the district ended before
    assert frame_date(new, parse_period("2025-Q1"), today) == today  # an old period on today's units
    assert frame_date(new, parse_period("2026-10"), today) == dt.date(2026, 10, 31)


# ---------------------------------------------------------------------------------------------------------
# the service

PASSWORD = "mat-khau-thu-nghiem"
Q1 = "2026-Q1"  # ends on Tuesday 31/03/2026: due on 07/04/2026
ON_TIME = vn("03/04/2026")
AFTER = vn("20/04/2026")
OTHER_COMMUNE = "10507"  # Hải Phòng too
LEGACY_DISTRICT = "303"  # Quận Hồng Bàng, until 30/06/2025
LEGACY_ONLY_COMMUNE = "11296"  # Phường Quán Toan (Hồng Bàng): no unit of that code since 01/07/2025


@pytest.fixture
def people(ctx) -> dict[str, Principal]:  # noqa: ANN001
    plan = {"xa": ("commune_officer", COMMUNE), "xa_khac": ("commune_officer", OTHER_COMMUNE),
            "tinh": ("province_officer", PROVINCE), "tinh_khac": ("province_officer", "01"),
            "huyen": ("district_officer", LEGACY_DISTRICT), "quocgia": ("national_viewer", None),
            "ctv": ("collaborator", None)}
    out = {}
    for login, (role, unit) in plan.items():
        if role == "collaborator":
            out[login] = Principal(99, "ctv", "CTV", Role.COLLABORATOR, None)
            continue
        accounts.create_user(ctx, f"{login}.thu", f"Cán bộ {login}", role, unit, PASSWORD)
        out[login] = accounts.sign_in(ctx, f"{login}.thu", PASSWORD, "127.0.0.1")[0]
    out["admin"] = svc.operator("cli:quan.tri")
    return out


def _audit(ctx) -> list[tuple[str, str, str]]:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return [(r.actor, r.action, r.detail) for r in conn.execute(
            select(audit_log).where(audit_log.c.action.like("report.%")).order_by(audit_log.c.id))]


def _closed(ctx) -> set[tuple[int, str]]:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return {(r.commune_id, r.month) for r in conn.execute(select(closed_months))}


def _without_time(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "created_at"}


def test_a_report_goes_from_submitted_to_returned_resubmitted_approved_reopened_and_keeps_every_version(
        ctx, reg, people):
    xa, tinh = people["xa"], people["tinh"]
    sub = svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME, ip="10.0.0.1")
    assert (sub.state, sub.number, sub.version, sub.late, sub.deadline) == (
        State.SUBMITTED, 1, 1, False, dt.date(2026, 4, 7))
    assert sub.unit.code == COMMUNE and sub.parent.code == PROVINCE and sub.form == "DANSO"
    assert sub.first_submitted_at == sub.submitted_at == ON_TIME and sub.updated_by == "xa.thu"

    with pytest.raises(InvalidInput) as e:
        svc.return_report(ctx, tinh, COMMUNE, Q1, reason="  ", now=ON_TIME)
    assert word(e.value.problems[0]) == "Phải ghi lý do trả lại báo cáo."
    back = svc.return_report(ctx, tinh, COMMUNE, Q1, reason="Thiếu phiếu sinh tháng 3", now=vn("06/04/2026"))
    assert (back.state, back.reason, back.updated_by) == (State.RETURNED, "Thiếu phiếu sinh tháng 3", "tinh.thu")

    again = svc.submit(ctx, xa, COMMUNE, Q1, now=AFTER)
    assert (again.state, again.number, again.reason) == (State.SUBMITTED, 2, "")
    assert not again.late and again.first_submitted_at == ON_TIME  # judged on the first submission

    ok = svc.approve(ctx, tinh, COMMUNE, Q1, now=AFTER)
    assert ok.state == State.APPROVED and ok.locked
    with pytest.raises(InvalidInput) as e:
        svc.reopen(ctx, tinh, COMMUNE, Q1, reason="", now=AFTER)
    assert word(e.value.problems[0]) == "Phải ghi lý do mở lại báo cáo."
    opened = svc.reopen(ctx, tinh, COMMUNE, Q1, reason="Sai số phụ nữ có chồng", now=vn("05/05/2026"))
    assert (opened.state, opened.number, opened.reason) == (State.REOPENED, 2, "Sai số phụ nữ có chồng")
    third = svc.submit(ctx, xa, COMMUNE, Q1, now=vn("06/05/2026"))
    assert (third.state, third.number) == (State.SUBMITTED, 3)

    steps = [(h.number, h.action, h.from_state, h.to_state, h.actor, h.reason)
             for h in svc.history(ctx, tinh, COMMUNE, Q1)]
    assert steps == [
        (1, Action.SUBMIT, State.MISSING, State.SUBMITTED, "xa.thu", ""),
        (1, Action.RETURN, State.SUBMITTED, State.RETURNED, "tinh.thu", "Thiếu phiếu sinh tháng 3"),
        (2, Action.SUBMIT, State.RETURNED, State.SUBMITTED, "xa.thu", ""),
        (2, Action.APPROVE, State.SUBMITTED, State.APPROVED, "tinh.thu", ""),
        (2, Action.REOPEN, State.APPROVED, State.REOPENED, "tinh.thu", "Sai số phụ nữ có chồng"),
        (3, Action.SUBMIT, State.REOPENED, State.SUBMITTED, "xa.thu", ""),
    ]
    assert [h.at for h in svc.history(ctx, xa, COMMUNE, Q1)][0] == ON_TIME
    assert _audit(ctx) == [
        ("xa.thu", "report.submit", "kỳ 2026-Q1; DANSO; phiên bản 1"),
        ("tinh.thu", "report.return", "kỳ 2026-Q1; DANSO; phiên bản 1"),
        ("xa.thu", "report.submit", "kỳ 2026-Q1; DANSO; phiên bản 2; nộp muộn"),  # this version came late
        ("tinh.thu", "report.approve", "kỳ 2026-Q1; DANSO; phiên bản 2"),
        ("tinh.thu", "report.reopen", "kỳ 2026-Q1; DANSO; phiên bản 2"),
        ("xa.thu", "report.submit", "kỳ 2026-Q1; DANSO; phiên bản 3; nộp muộn"),
    ]
    for n in (1, 2, 3):
        assert svc.frozen_report(ctx, xa, COMMUNE, Q1, number=n)["period"]["code"] == Q1
    with pytest.raises(NotFound):
        svc.frozen_report(ctx, xa, COMMUNE, Q1, number=4)


def test_a_report_submitted_after_its_deadline_is_late_and_so_recorded(ctx, reg, people):
    sub = svc.submit(ctx, people["xa"], COMMUNE, "2026-03", now=vn("08/04/2026", 1))
    assert sub.late and sub.deadline == dt.date(2026, 4, 7)
    assert svc.history(ctx, people["xa"], COMMUNE, "2026-03")[0].late
    assert _audit(ctx)[-1][2] == "kỳ 2026-03; DANSO; phiên bản 1; nộp muộn"


def test_the_frozen_figures_stay_as_submitted_when_a_later_slip_changes_the_live_ones(ctx, reg, people):
    xa = people["xa"]
    live = report_dict(build_report(ctx, COMMUNE, Q1))
    svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME)
    frozen = svc.frozen_report(ctx, xa, COMMUNE, Q1)
    assert _without_time(frozen) == _without_time(json.loads(json.dumps(live)))
    births = next(i for i in frozen["indicators"] if i["code"] == "births")["value"]

    Slips(ctx, reg.area).accept("birth", household=reg.families[1].household, date=dt.date(2026, 3, 20),
                                mother=reg.families[1].wife, full_name="Nguyễn Thị Mới", sex="2", ethnicity="01",
                                relation="03", place="1", birth_order=2, confirm=True)
    now_live = report_dict(svc.live_report(ctx, xa, COMMUNE, Q1))
    assert next(i for i in now_live["indicators"] if i["code"] == "births")["value"] == births + 1
    assert svc.frozen_report(ctx, xa, COMMUNE, Q1) == frozen  # byte for byte, creation time included


def test_approval_closes_the_months_later_slips_are_late_and_counted_and_reopening_opens_them(ctx, reg, people):
    xa, tinh = people["xa"], people["tinh"]
    commune_id = svc.get_status(ctx, xa, COMMUNE, Q1).unit_id
    svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME)
    assert _closed(ctx) == set()  # submitting locks nothing
    svc.approve(ctx, tinh, COMMUNE, Q1, now=vn("06/04/2026"))
    assert _closed(ctx) == {(commune_id, m) for m in ("2026-01", "2026-02", "2026-03")}

    s = Slips(ctx, reg.area)
    late = s.accept("death", person=reg.families[0].elder, date=dt.date(2026, 2, 10), cause="bệnh", confirm=True)
    assert late.late
    on_time = s.accept("move_out", person=reg.families[1].children[0], date=dt.date(2026, 4, 2),
                       destination="Hà Nội")
    assert not on_time.late  # April is not in the quarter
    st = svc.get_status(ctx, tinh, COMMUNE, Q1)
    assert st.late_slips == 1 and st.state == State.APPROVED

    # a monthly report approved too keeps March closed when the quarter is reopened
    svc.submit(ctx, xa, COMMUNE, "2026-03", now=ON_TIME)
    svc.approve(ctx, tinh, COMMUNE, "2026-03", now=ON_TIME)
    svc.reopen(ctx, tinh, COMMUNE, Q1, reason="Bổ sung phiếu chết tháng 2", now=vn("20/04/2026"))
    assert _closed(ctx) == {(commune_id, "2026-03")}
    after = s.accept("move_out", person=reg.families[0].children[0], date=dt.date(2026, 2, 20), destination="Huế")
    assert not after.late
    again = svc.submit(ctx, xa, COMMUNE, Q1)  # now: after the slips were accepted (on the real clock)
    assert again.late_slips == 0 and not again.late  # the late death is in version 2's figures
    with ctx.engine.connect() as conn:
        assert slips_repo.is_closed(conn, commune_id, "2026-03") and not slips_repo.is_closed(conn, commune_id,
                                                                                              "2026-02")


@pytest.mark.parametrize(("setup", "action", "error"), [
    ((), "approve", "không thể duyệt báo cáo đang ở trạng thái “Chưa nộp”"),
    ((), "return", "không thể trả lại báo cáo đang ở trạng thái “Chưa nộp”"),
    ((), "reopen", "không thể mở lại báo cáo đang ở trạng thái “Chưa nộp”"),
    (("submit",), "reopen", "không thể mở lại báo cáo đang ở trạng thái “Đã nộp, chờ duyệt”"),
    (("submit", "approve"), "return", "không thể trả lại báo cáo đang ở trạng thái “Đã duyệt”"),
    (("submit", "approve"), "submit", "không thể nộp báo cáo đang ở trạng thái “Đã duyệt”"),
    (("submit", "return"), "approve", "không thể duyệt báo cáo đang ở trạng thái “Bị trả lại”"),
    (("submit", "return"), "reopen", "không thể mở lại báo cáo đang ở trạng thái “Bị trả lại”"),
    (("submit", "approve", "reopen"), "approve", "không thể duyệt báo cáo đang ở trạng thái “Đã mở lại”"),
])
def test_an_action_the_state_does_not_allow_is_refused_and_changes_nothing(ctx, people, setup, action, error):
    xa, tinh = people["xa"], people["tinh"]
    call = {"submit": lambda: svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME),
            "approve": lambda: svc.approve(ctx, tinh, COMMUNE, Q1, now=ON_TIME),
            "return": lambda: svc.return_report(ctx, tinh, COMMUNE, Q1, reason="Sai", now=ON_TIME),
            "reopen": lambda: svc.reopen(ctx, tinh, COMMUNE, Q1, reason="Sai", now=ON_TIME)}
    for step in setup:
        call[step]()
    before = (svc.get_status(ctx, tinh, COMMUNE, Q1), _audit(ctx), _closed(ctx))
    with pytest.raises(InvalidInput) as e:
        call[action]()
    assert error in word(e.value.problems[0])
    assert (svc.get_status(ctx, tinh, COMMUNE, Q1), _audit(ctx), _closed(ctx)) == before


def test_doing_again_what_was_just_done_or_acting_on_an_old_page_names_who_acted(ctx, people):
    xa, tinh = people["xa"], people["tinh"]
    svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME)
    with pytest.raises(ReportConflict) as e:
        svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME)
    assert e.value.message == ("Báo cáo Quý I năm 2026 của Phường Hồng An vừa được xa.thu chuyển sang “Đã nộp, chờ "
                               "duyệt” lúc 10:00 03/04/2026; không có gì thay đổi. Xem lại trạng thái mới.")
    svc.approve(ctx, tinh, COMMUNE, Q1, now=ON_TIME)
    with pytest.raises(ReportConflict) as e:
        svc.approve(ctx, svc.operator("cli:quan.tri"), COMMUNE, Q1, now=ON_TIME)
    assert e.value.actor == "tinh.thu" and e.value.state == State.APPROVED
    # a page shown at version 2 (approved) cannot reopen once somebody else reopened and it was resubmitted
    svc.reopen(ctx, tinh, COMMUNE, Q1, reason="Sai", now=ON_TIME)
    svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME)
    with pytest.raises(ReportConflict):
        svc.return_report(ctx, tinh, COMMUNE, Q1, reason="Sai", expected_version=2, now=ON_TIME)
    assert svc.return_report(ctx, tinh, COMMUNE, Q1, reason="Sai", expected_version=4, now=ON_TIME).version == 5


def test_who_may_act_and_where(ctx, people):
    xa, tinh = people["xa"], people["tinh"]
    with pytest.raises(NotAllowed, match="Chỉ cán bộ dân số của chính xã/phường"):
        svc.submit(ctx, tinh, COMMUNE, Q1, now=ON_TIME)
    with pytest.raises(NotAllowed, match="Chỉ cán bộ dân số của chính xã/phường"):
        svc.submit(ctx, people["quocgia"], COMMUNE, Q1, now=ON_TIME)
    for other in ("xa_khac", "tinh_khac"):  # out of scope: as if it did not exist
        with pytest.raises(NotFound):
            svc.submit(ctx, people[other], COMMUNE, Q1, now=ON_TIME)
        with pytest.raises(NotFound):
            svc.get_status(ctx, people[other], COMMUNE, Q1)
    with pytest.raises(NotFound):  # the legacy district: a commune of today is not under it
        svc.get_status(ctx, people["huyen"], OTHER_COMMUNE, Q1)
    with pytest.raises(InvalidInput, match="report.input"):  # … and 11602 is for it the old Phường An Hồng
        svc.get_status(ctx, people["huyen"], COMMUNE, Q1)
    with pytest.raises(AccessDenied):
        svc.get_status(ctx, people["ctv"], COMMUNE, Q1)
    svc.submit(ctx, xa, COMMUNE, Q1, now=ON_TIME)
    for who in ("xa", "quocgia"):
        with pytest.raises(NotAllowed, match="Chỉ cán bộ dân số của Thành phố Hải Phòng \\(đơn vị nhận báo cáo\\)"):
            svc.approve(ctx, people[who], COMMUNE, Q1, now=ON_TIME)
    for other, unit in (("xa_khac", COMMUNE), ("tinh_khac", COMMUNE), ("huyen", OTHER_COMMUNE)):
        with pytest.raises(NotFound):
            svc.approve(ctx, people[other], unit, Q1, now=ON_TIME)
    assert svc.get_status(ctx, people["quocgia"], COMMUNE, Q1).state == State.SUBMITTED  # viewers see
    assert svc.approve(ctx, people["admin"], COMMUNE, Q1, now=ON_TIME).updated_by == "cli:quan.tri"


def test_a_period_before_the_reform_goes_to_the_district_for_an_old_commune_and_to_the_province_for_a_new_one(
        ctx, people):
    admin, huyen, tinh = people["admin"], people["huyen"], people["tinh"]
    old = svc.submit(ctx, admin, LEGACY_ONLY_COMMUNE, "2025-Q1", now=vn("02/04/2025"))
    assert old.parent.code == LEGACY_DISTRICT and old.parent.level == Level.DISTRICT
    with pytest.raises(NotFound):  # not under today's province
        svc.approve(ctx, tinh, LEGACY_ONLY_COMMUNE, "2025-Q1", now=vn("03/04/2025"))
    assert svc.approve(ctx, huyen, LEGACY_ONLY_COMMUNE, "2025-Q1", now=vn("03/04/2025")).state == State.APPROVED
    listing = svc.status(ctx, huyen, LEGACY_DISTRICT, "2025-Q1", now=vn("20/04/2025"))
    assert listing.units_on == dt.date(2025, 3, 31)
    assert [r.unit.code for r in listing.rows][:2] == ["11296", "11299"]
    assert listing.counts["approved"] == 1 and listing.counts["missing"] == len(listing.rows) - 1

    new = svc.submit(ctx, people["xa"], COMMUNE, "2025-Q1", now=vn("23/11/2026"))
    assert new.parent.code == PROVINCE and new.unit.valid_from == dt.date(2025, 7, 1) and new.late
    with pytest.raises(InvalidInput) as e:  # the district knows 11602 as the old Phường An Hồng: not submitted
        svc.approve(ctx, huyen, COMMUNE, "2025-Q1")
    assert word(e.value.problems[0]) == ("Phường An Hồng, Quý I năm 2025: không thể duyệt báo cáo đang ở trạng thái "
                                         "“Chưa nộp”.")
    assert svc.approve(ctx, tinh, COMMUNE, "2025-Q1").state == State.APPROVED


def test_the_province_sees_every_commune_side_by_side_missing_late_submitted_approved_returned(ctx, people):
    xa, tinh, admin = people["xa"], people["tinh"], people["admin"]
    svc.submit(ctx, xa, COMMUNE, "2026-03", now=vn("02/04/2026"))
    svc.submit(ctx, admin, OTHER_COMMUNE, "2026-03", now=vn("09/04/2026"))  # late
    svc.approve(ctx, tinh, OTHER_COMMUNE, "2026-03", now=vn("10/04/2026"))
    svc.submit(ctx, admin, "10525", "2026-03", now=vn("03/04/2026"))
    svc.return_report(ctx, tinh, "10525", "2026-03", reason="Thiếu chữ ký", now=vn("04/04/2026"))

    listing = svc.status(ctx, tinh, PROVINCE, "2026-03", now=vn("10/04/2026"))
    assert listing.unit.code == PROVINCE and listing.deadline == dt.date(2026, 4, 7)
    by_code = {r.unit.code: r for r in listing.rows}
    assert len(by_code) == 114 and all(r.parent.code == PROVINCE for r in listing.rows)
    assert [r.unit.code for r in listing.rows] == sorted(by_code)
    assert (by_code[COMMUNE].state, by_code[COMMUNE].late) == (State.SUBMITTED, False)
    assert (by_code[OTHER_COMMUNE].state, by_code[OTHER_COMMUNE].late) == (State.APPROVED, True)
    assert (by_code["10525"].state, by_code["10525"].reason) == (State.RETURNED, "Thiếu chữ ký")
    missing = [r for r in listing.rows if r.state == State.MISSING]
    assert len(missing) == 111 and all(r.overdue for r in missing)
    assert dict(listing.counts) == {"submitted": 1, "approved": 1, "returned": 1, "missing": 111, "late": 1,
                                    "overdue": 111}
    assert svc.may_act(tinh, by_code[COMMUNE], "approve") and not svc.may_act(tinh, by_code[COMMUNE], "reopen")
    assert svc.may_act(tinh, by_code[OTHER_COMMUNE], "reopen") and not svc.may_act(xa, by_code[COMMUNE], "approve")
    before = svc.status(ctx, tinh, PROVINCE, "2026-03", now=vn("07/04/2026", 23))
    assert before.counts["overdue"] == 0  # the deadline's last minutes

    mine = svc.status(ctx, xa, COMMUNE, "2026-03", now=vn("10/04/2026"))
    assert [r.unit.code for r in mine.rows] == [COMMUNE]
    with pytest.raises(NotFound):
        svc.status(ctx, xa, PROVINCE, "2026-03")


def test_bad_input_is_worded_in_vietnamese(ctx, people):
    xa = people["xa"]
    cases = [
        (lambda: svc.submit(ctx, xa, COMMUNE, "2026-13"), "Kỳ báo cáo “2026-13” không hợp lệ"),
        (lambda: svc.submit(ctx, xa, COMMUNE, "2026-11", now=vn("23/11/2026")),
         "Kỳ Tháng 11 năm 2026 chưa kết thúc (đến 30/11/2026); chỉ nộp báo cáo của kỳ đã qua."),
        (lambda: svc.submit(ctx, xa, COMMUNE, Q1, form="03-DSX"),
         "Biểu 03-DSX là báo cáo theo năm; kỳ 2026-Q1 là quý."),
        (lambda: svc.submit(ctx, xa, COMMUNE, Q1, form="01-DSH"), "Biểu 01-DSH không phải báo cáo của xã/phường"),
        (lambda: svc.submit(ctx, xa, COMMUNE, Q1, form="XYZ"), "Không có biểu mẫu “XYZ”; xã/phường nộp các biểu: "
                                                                 "03-DSX, DANSO."),
        (lambda: svc.submit(ctx, people["tinh"], PROVINCE, Q1), "Thành phố Hải Phòng (mã 31) là cấp tỉnh/thành phố: "
                                                               "chỉ xã/phường nộp báo cáo lên cấp trên"),
        (lambda: svc.approve(ctx, people["huyen"], LEGACY_DISTRICT, "2025-Q3"), "Quận Hồng Bàng (mã 303) chỉ có "
                                                                              "hiệu lực đến 30/06/2025"),
    ]
    for call, text in cases:
        with pytest.raises(InvalidInput) as e:
            call()
        assert text in word(e.value.problems[0]), word(e.value.problems[0])
    assert svc.submit(ctx, xa, COMMUNE, "2025", form="03-dsx", now=vn("02/01/2026")).form == "03-DSX"
    assert _audit(ctx) == [("xa.thu", "report.submit", "kỳ 2025; 03-DSX; phiên bản 1")]


@POSTGRES_ONLY
def test_two_approvals_at_once_one_wins_and_the_other_is_told_who_approved(ctx, people):
    admin = people["admin"]
    for round_, period in enumerate(("2026-01", "2026-02", "2026-03")):
        svc.submit(ctx, people["xa"], COMMUNE, period, now=ON_TIME)
        deciders = (people["tinh"], admin)
        results = at_once(*(lambda who=who: svc.approve(ctx, who, COMMUNE, period, now=ON_TIME) for who in deciders))
        won = [r for r in results if not isinstance(r, Exception)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], ReportConflict), lost[0]
        assert lost[0].actor == won[0].updated_by and lost[0].state == State.APPROVED
        assert [h.action for h in svc.history(ctx, admin, COMMUNE, period)] == [Action.SUBMIT, Action.APPROVE]
        assert len(_closed(ctx)) == round_ + 1


@POSTGRES_ONLY
def test_two_first_submissions_at_once_record_one(ctx, people):
    results = at_once(*(lambda who=who: svc.submit(ctx, who, COMMUNE, Q1, now=ON_TIME)
                        for who in (people["xa"], people["admin"])))
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(lost) == 1 and isinstance(lost[0], ReportConflict), results
    assert [h.number for h in svc.history(ctx, people["admin"], COMMUNE, Q1)] == [1]
