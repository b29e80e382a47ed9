"""The life cycle of a collection slip through the services: draft → submitted → accepted | returned (with a
reason) → corrected → resubmitted | rejected; who did what and when; a client id recording once; batch
acceptance slip by slip; late slips after a month is closed; warnings to confirm; imports all or nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from danso.domain.problems import ConfirmationNeeded, InvalidInput, NotFound, SlipConflict
from danso.domain.slips import Status
from danso.messages_vi import word
from danso.services import slips as svc
from danso.services.registry import household_sheet
from danso.storage.tables import events, slips
from factories import COMMUNE, register_state
from slip_factories import OFFICER, TODAY, Slips


def counts(ctx) -> tuple[int, int]:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(slips)).scalar_one(),
                conn.execute(select(func.count()).select_from(events)).scalar_one())


def test_a_slip_goes_from_draft_to_accepted_and_keeps_who_did_what_and_when(ctx, reg):
    s = Slips(ctx, reg.area)
    fam = reg.families[0]
    before = dt.datetime.now(dt.timezone.utc)
    draft = s.enter("death", submit=False, person=fam.head, date=dt.date(2026, 2, 10), cause="tai nạn")
    assert draft.status == Status.DRAFT and draft.created_by == s.actor and draft.month == "2026-02"
    assert draft.payload == {"person": fam.head, "date": "10/02/2026", "cause": "tai nạn"}
    svc.submit_slip(ctx, draft.id, "ctv:nguyen.thi.an", today=TODAY)
    view = svc.accept_slip(ctx, draft.id, OFFICER, today=TODAY)
    assert view.status == Status.ACCEPTED and not view.late
    full = svc.get_slip(ctx, draft.id)
    steps = [(a.actor, a.action, a.from_status, a.to_status) for a in full.actions]
    assert steps == [("ctv:nguyen.thi.an", "create", None, "draft"), ("ctv:nguyen.thi.an", "submit", "draft", "submitted"),
                     (OFFICER, "accept", "submitted", "accepted")]
    stamps = [a.at if a.at.tzinfo else a.at.replace(tzinfo=dt.timezone.utc) for a in full.actions]
    assert stamps == sorted(stamps) and stamps[0] >= before - dt.timedelta(seconds=1)
    assert [(e.kind, e.person_id, e.event_date, e.slip_id) for e in full.events] == [
        ("died", fam.head, dt.date(2026, 2, 10), draft.id)]
    # the head is no longer a member from the day he died
    members = {m.person.id for m in household_sheet(ctx, fam.household, dt.date(2026, 2, 10)).members}
    assert fam.head not in members
    assert fam.head in {m.person.id for m in household_sheet(ctx, fam.household, dt.date(2026, 2, 9)).members}


def test_a_returned_slip_carries_the_reason_is_corrected_and_resubmitted(ctx, reg):
    s = Slips(ctx, reg.area)
    fam = reg.families[0]
    slip = s.enter("move_out", person=fam.children[0], date=dt.date(2026, 3, 1), destination="Hà Nội")
    returned = svc.return_slip(ctx, slip.id, OFFICER, "  Ghi rõ tỉnh, huyện nơi chuyển đến  ")
    assert returned.status == Status.RETURNED and returned.reason == "Ghi rõ tỉnh, huyện nơi chuyển đến"
    with pytest.raises(InvalidInput) as e:  # a returned slip is not accepted before it is resubmitted
        s.accept_id(slip.id)
    assert word(e.value.problems[0]) == f"phiếu {slip.id}: không thể duyệt phiếu đang ở trạng thái “Trả lại để sửa”."
    corrected = svc.update_slip(ctx, slip.id, {**slip.payload, "destination": "Phường Ba Đình, Hà Nội"},
                                "ctv:nguyen.thi.an")
    assert corrected.status == Status.RETURNED and corrected.payload["destination"] == "Phường Ba Đình, Hà Nội"
    svc.submit_slip(ctx, slip.id, "ctv:nguyen.thi.an", today=TODAY)
    s.accept_id(slip.id)
    full = svc.get_slip(ctx, slip.id)
    assert [(a.action, a.to_status, a.reason) for a in full.actions] == [
        ("create", "draft", ""), ("submit", "submitted", ""),
        ("return", "returned", "Ghi rõ tỉnh, huyện nơi chuyển đến"), ("edit", "returned", ""),
        ("submit", "submitted", ""), ("accept", "accepted", "")]
    assert full.events[0].data["destination"] == "Phường Ba Đình, Hà Nội"


def test_closing_a_slip_needs_a_reason_and_a_slip_moves_only_along_its_life_cycle(ctx, reg):
    s = Slips(ctx, reg.area)
    slip = s.enter("elderly_checkup", person=reg.families[0].elder, date=dt.date(2026, 3, 1))
    for close in (svc.return_slip, svc.reject_slip):
        with pytest.raises(InvalidInput) as e:
            close(ctx, slip.id, OFFICER, "   ")
        assert [word(p) for p in e.value.problems] == [f"phiếu {slip.id}: phải ghi lý do."]
    with pytest.raises(InvalidInput) as e:
        svc.update_slip(ctx, slip.id, slip.payload, s.actor)
    assert word(e.value.problems[0]) == f"phiếu {slip.id}: không thể sửa phiếu đang ở trạng thái “Chờ duyệt”."
    assert svc.get_slip(ctx, slip.id).status == Status.SUBMITTED
    assert len(svc.get_slip(ctx, slip.id).actions) == 2
    draft = s.enter("elderly_checkup", submit=False, person=reg.families[0].elder, date=dt.date(2026, 3, 2))
    with pytest.raises(InvalidInput) as e:
        s.accept_id(draft.id)
    assert word(e.value.problems[0]) == f"phiếu {draft.id}: không thể duyệt phiếu đang ở trạng thái “Bản nháp”."
    with pytest.raises(NotFound):
        s.accept_id(9999)


def test_a_rejected_slip_is_final(ctx, reg):
    s = Slips(ctx, reg.area)
    slip = s.enter("death", person=reg.families[0].head, date=dt.date(2026, 3, 1))
    rejected = svc.reject_slip(ctx, slip.id, OFFICER, "Người này vẫn còn sống")
    assert rejected.status == Status.REJECTED and rejected.reason == "Người này vẫn còn sống"
    for attempt in (lambda: s.accept_id(slip.id), lambda: svc.submit_slip(ctx, slip.id, s.actor, today=TODAY),
                    lambda: svc.update_slip(ctx, slip.id, slip.payload, s.actor),
                    lambda: svc.return_slip(ctx, slip.id, OFFICER, "sửa")):
        with pytest.raises(InvalidInput) as e:
            attempt()
        assert e.value.problems[0].code == "slip.bad_status"
    assert svc.get_slip(ctx, slip.id).events == []
    assert reg.families[0].head in {m.person.id for m in household_sheet(ctx, reg.families[0].household).members}


def test_accepting_an_accepted_slip_again_says_who_accepted_it_and_records_nothing(ctx, reg):
    s = Slips(ctx, reg.area)
    view = s.accept("death", person=reg.families[0].head, date=dt.date(2026, 2, 1))
    n = counts(ctx)
    with pytest.raises(SlipConflict) as e:
        svc.accept_slip(ctx, view.id, "xa:le.van.cuong", today=TODAY)
    assert (e.value.slip_id, e.value.status, e.value.actor) == (view.id, "Đã duyệt", OFFICER)
    assert counts(ctx) == n


def test_sending_the_same_slip_twice_records_it_once_and_a_client_id_reused_for_other_content_is_refused(ctx, reg):
    s = Slips(ctx, reg.area)
    data = {"person": reg.families[0].elder, "date": "01/03/2026"}
    first, created = svc.create_slip(ctx, client_id="ctv-an-0001", kind="elderly_checkup", area_code=reg.area,
                                     month="", data=data, actor=s.actor, submit=True, today=TODAY)
    again, created_again = svc.create_slip(ctx, client_id="ctv-an-0001", kind="elderly_checkup",
                                           area_code=reg.area, month="", data=dict(data), actor=s.actor,
                                           submit=True, today=TODAY)
    assert created and not created_again
    assert again.id == first.id and again.status == Status.SUBMITTED
    assert counts(ctx)[0] == 1
    # also once accepted: sending it again returns the accepted slip and records no second event
    s.accept_id(first.id)
    n = counts(ctx)
    third, created_third = svc.create_slip(ctx, client_id="ctv-an-0001", kind="elderly_checkup", area_code=reg.area,
                                           month="", data=dict(data), actor=s.actor, submit=True, today=TODAY)
    assert not created_third and third.status == Status.ACCEPTED and counts(ctx) == n
    # a client id reused for different content is refused
    other = s.enter("elderly_checkup", client_id="ctv-an-0002", person=reg.families[0].elder, date="05/03/2026")
    for kind, data in (("elderly_checkup", {"person": reg.families[0].elder, "date": "06/03/2026"}),
                       ("death", {"person": reg.families[0].head, "date": "05/03/2026"})):
        with pytest.raises(InvalidInput) as e:
            svc.create_slip(ctx, client_id="ctv-an-0002", kind=kind, area_code=reg.area, month="", data=data,
                            actor=s.actor, submit=True, today=TODAY)
        assert [word(p) for p in e.value.problems] == [
            f"phiếu {other.id}: mã phiếu “ctv-an-0002” đã dùng cho một phiếu khác có nội dung khác; mỗi phiếu một mã."]
    assert counts(ctx)[0] == 2


def test_an_import_with_bad_slips_writes_nothing_and_reports_every_problem(ctx, reg):
    s = Slips(ctx, reg.area)
    fam = reg.families[0]
    batch = [s.new("elderly_checkup", person=fam.elder, date="01/03/2026"),
             s.new("death", person=987654, date="02/03/2026"),
             s.new("transfer", person=fam.children[0], date="03/03/2026", to_household=4242, relation="03")]
    with pytest.raises(InvalidInput) as e:
        svc.import_slips(ctx, batch, actor=s.actor, today=TODAY)
    assert [word(p) for p in e.value.problems] == [
        f"phiếu {batch[1].client_id}: không tìm thấy Người “987654” trong sổ; kiểm tra mã người, số CCCD hoặc mã "
        "BHYT.", f"phiếu {batch[2].client_id}: không có Hộ chuyển đến mã 4242 trong sổ."]
    assert counts(ctx) == (0, 2)
    # drafts are not checked against the register yet, only parsed: a parse problem still stops them all
    drafts = [s.new("elderly_checkup", submit=False, person=fam.elder, date="01/03/2026"),
              s.new("death", submit=False, person=fam.head, date="32/03/2026")]
    with pytest.raises(InvalidInput) as e:
        svc.import_slips(ctx, drafts, actor=s.actor, today=TODAY)
    assert [word(p) for p in e.value.problems] == [
        f"phiếu {drafts[1].client_id}: Ngày xảy ra “32/03/2026” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy)."]
    assert counts(ctx) == (0, 2)
    # missing or too long client ids, a bad month
    bad = [s.new("elderly_checkup", client_id=" ", person=reg.families[0].head, date="01/03/2026"),
           s.new("elderly_checkup", client_id="x" * 65, person=reg.families[0].head, date="01/03/2026"),
           s.new("elderly_checkup", client_id="ok-1", month="13/2026", person=reg.families[0].head,
                 date="01/03/2026")]
    with pytest.raises(InvalidInput) as e:
        svc.import_slips(ctx, bad, actor=s.actor, today=TODAY)
    assert [p.code for p in e.value.problems] == ["slip.client_id", "slip.client_id", "slip.month"]
    assert word(e.value.problems[0]) == "phiếu thứ 1: thiếu mã phiếu do máy nhập tạo (client_id, tối đa 64 ký tự)."
    assert word(e.value.problems[2]) == "phiếu ok-1: tháng báo cáo “13/2026” không đúng dạng YYYY-MM (ví dụ 2026-10)."
    assert counts(ctx) == (0, 2)
    # an unknown area
    s = Slips(ctx, "11602-999-09")
    with pytest.raises(InvalidInput) as e:
        s.enter("elderly_checkup", person=reg.families[0].elder, date="01/03/2026")
    assert e.value.problems[0].code == "unit.unknown"
    assert word(e.value.problems[0]).endswith("không có đơn vị hành chính mã “11602-999-09”; xem `danso units tree VN`.")
    assert counts(ctx) == (0, 2)


def test_a_warning_must_be_confirmed_before_the_slip_is_submitted_and_then_not_again(ctx, reg):
    s = Slips(ctx, reg.area)
    fam = reg.families[0]  # the wife has 1 child on record
    birth = dict(household=fam.household, date=dt.date(2026, 2, 3), mother=fam.wife, full_name="Trần Văn Tí",
                 sex="1", ethnicity="01", relation="03", place="1", birth_order=3)
    with pytest.raises(ConfirmationNeeded) as e:
        s.enter("birth", **birth)
    assert [p.code for p in e.value.problems] == ["birth.order_gap"]
    mother = reg.names[fam.wife]
    assert word(e.value.problems[0]).endswith(f": Là con thứ 3 nhưng sổ mới có 1 con của {mother}; "
                                              "xác nhận (có con chưa ghi sổ?).")
    assert counts(ctx) == (0, 2)  # nothing written
    view = s.enter("birth", confirm=True, **birth)
    assert view.status == Status.SUBMITTED and [p["code"] for p in view.problems] == ["birth.order_gap"]
    s.accept_id(view.id)  # confirmed on submission: the officer is not asked again
    assert svc.get_slip(ctx, view.id).status == Status.ACCEPTED


def test_a_possible_duplicate_is_a_warning_from_open_slips_and_from_the_log(ctx, reg):
    s = Slips(ctx, reg.area)
    fam = reg.families[0]
    a = s.enter("elderly_checkup", person=fam.elder, date="01/03/2026")
    second = s.new("elderly_checkup", person=fam.elder, date="01/03/2026")
    with pytest.raises(ConfirmationNeeded) as e:
        svc.import_slips(ctx, [second], actor=s.actor, today=TODAY)
    assert [word(p) for p in e.value.problems] == [
        f"phiếu {second.client_id}: có thể trùng: sự kiện này của cùng người, cùng ngày đã được ghi (phiếu {a.id}); "
        "xác nhận nếu đúng là hai sự kiện khác nhau."]
    b = s.enter("elderly_checkup", confirm=True, person=fam.elder, date="01/03/2026")
    assert [p["code"] for p in b.problems] == ["slip.duplicate"]
    event_a = s.accept_id(a.id) and svc.get_slip(ctx, a.id).events[0]
    with pytest.raises(ConfirmationNeeded) as e:
        s.enter("elderly_checkup", person=fam.elder, date="01/03/2026")
    assert e.value.problems[0].params == {"other": f"sự kiện {event_a.id}"}
    s.accept_id(b.id)  # its warning was confirmed on submission
    assert [ev.kind for ev in svc.history(ctx, person_id=fam.elder)] == ["elderly_checked", "elderly_checked"]


def test_a_batch_acceptance_keeps_the_good_slips_when_one_fails(ctx, reg):
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    good1 = s.enter("death", person=f0.head, date="01/02/2026")
    bad = s.enter("death", person=f0.head, date="01/02/2026", confirm=True)  # the same death, sent twice
    good2 = s.enter("move_out", person=f1.children[0], date="03/02/2026", destination="Đà Nẵng")
    results = svc.accept_slips(ctx, [good1.id, bad.id, good2.id], OFFICER, today=TODAY)
    assert [(r.slip_id, r.accepted) for r in results] == [(good1.id, True), (bad.id, False), (good2.id, True)]
    error = results[1].error
    assert isinstance(error, InvalidInput) and [p.code for p in error.problems] == ["death.already_dead"]
    assert word(error.problems[0]).startswith(f"phiếu {bad.id}: ") and "không ghi chết lần thứ hai" in word(
        error.problems[0])
    assert svc.get_slip(ctx, bad.id).status == Status.SUBMITTED and svc.get_slip(ctx, bad.id).events == []
    assert [e.kind for e in svc.get_slip(ctx, good2.id).events] == ["moved_out"]
    # the register holds exactly the two accepted changes: the log replays to the same state
    with ctx.engine.connect() as conn:
        kinds = [r.kind for r in conn.execute(select(events.c.kind).order_by(events.c.id))]
    assert kinds == ["household_registered", "household_registered", "died", "moved_out"]


def test_a_slip_made_wrong_by_an_earlier_slip_of_the_same_batch_fails_alone(ctx, reg):
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    death = s.enter("death", person=f0.wife, date="01/02/2026")
    pregnancy = s.enter("pregnancy", person=f0.wife, date="05/02/2026", event="1")
    check = s.enter("elderly_checkup", person=f0.elder, date="06/02/2026")
    dissolve = s.enter("household_split", household=f1.household, date="02/02/2026", number="2A",
                       members=[{"person": f1.children[0], "relation": "01"}])
    before = register_state(ctx)
    results = svc.accept_slips(ctx, [death.id, pregnancy.id, check.id, dissolve.id], OFFICER, today=TODAY)
    assert [r.accepted for r in results] == [True, False, True, True]
    assert [word(p) for p in results[1].error.problems] == [
        f"phiếu {pregnancy.id}: {reg.names[f0.wife]} đã chết ngày 01/02/2026; không thể ghi sự kiện sau ngày đó."]
    after = register_state(ctx)
    assert after["pregnancies"] == before["pregnancies"]  # nothing of the failed slip is left
    assert svc.get_slip(ctx, pregnancy.id).status == Status.SUBMITTED
    assert len(after["households"]) == len(before["households"]) + 1


def test_a_slip_for_a_closed_month_is_marked_late_once_confirmed(ctx, reg):
    s = Slips(ctx, reg.area)
    fam = reg.families[0]
    svc.close_month(ctx, COMMUNE, "2026-02", "huyen:pham.thi.dao")
    with pytest.raises(ConfirmationNeeded) as e:
        s.enter("move_out", person=fam.children[0], date="20/02/2026", destination="Hà Nội")
    assert [word(p) for p in e.value.problems] == [
        f"phiếu c-{int(s.client_id()[2:]) - 1}: tháng 2026-02 của xã đã khóa sổ (báo cáo đã duyệt); phiếu được ghi "
        "là nộp muộn."]
    late = s.enter("move_out", confirm=True, person=fam.children[0], date="20/02/2026", destination="Hà Nội")
    assert late.late and late.month == "2026-02"
    on_time = s.enter("elderly_checkup", person=fam.elder, date="02/03/2026")
    assert not on_time.late
    s.accept_id(late.id)
    assert svc.get_slip(ctx, late.id).late
    listed = {v.id: v.late for v in svc.list_slips(ctx, unit_code=COMMUNE, month="2026-02")}
    assert listed == {late.id: True}
    # closing the same month twice is harmless; a bad month is refused
    svc.close_month(ctx, COMMUNE, "2026-02", "huyen:pham.thi.dao")
    with pytest.raises(InvalidInput) as e:
        svc.close_month(ctx, COMMUNE, "2026/2", "huyen:pham.thi.dao")
    assert e.value.problems[0].code == "slip.month"
    # a slip whose month is closed between its submission and its acceptance becomes late
    svc.close_month(ctx, COMMUNE, "2026-03", "huyen:pham.thi.dao")
    with pytest.raises(ConfirmationNeeded) as e:
        s.accept_id(on_time.id)
    assert [p.code for p in e.value.problems] == ["slip.late"]
    s.accept_id(on_time.id, confirm=True)
    assert svc.get_slip(ctx, on_time.id).late


def test_slips_are_listed_by_unit_month_and_status(ctx, reg):
    s = Slips(ctx, reg.area)
    a = s.enter("elderly_checkup", person=reg.families[0].elder, date="02/03/2026")
    b = s.enter("elderly_checkup", submit=False, person=reg.families[1].head, date="02/04/2026")
    s.accept_id(a.id)
    assert [v.id for v in svc.list_slips(ctx, unit_code=COMMUNE)] == [a.id, b.id]
    assert [v.id for v in svc.list_slips(ctx, unit_code=reg.area, statuses=["draft"])] == [b.id]
    assert [v.id for v in svc.list_slips(ctx, unit_code="31", month="2026-03")] == [a.id]
    assert svc.list_slips(ctx, unit_code=COMMUNE, month="2026-05") == []
    with pytest.raises(InvalidInput) as e:
        svc.list_slips(ctx, statuses=["done"])
    assert word(e.value.problems[0]) == ("Trạng thái “done” không có (draft, submitted, accepted, returned, "
                                         "rejected).")
