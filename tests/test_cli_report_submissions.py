"""`danso report submit|approve|return|reopen|status|history` end to end: what an officer at the command line
types and reads; errors in Vietnamese with exit code 2, nothing written."""
from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import func, select

from danso.cli.main import cli
from danso.storage.tables import closed_months, report_versions
from factories import COMMUNE, PROVINCE
from slip_factories import small_register


def run(db_url: str, *args: str):  # noqa: ANN201
    return CliRunner().invoke(cli, ["--db", db_url, *args])


def _versions(ctx) -> int:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(report_versions)).scalar_one()


def test_a_report_is_submitted_returned_resubmitted_approved_reopened_and_its_history_listed(ctx, db_url):
    small_register(ctx, households=2)
    unit = ("--unit", COMMUNE, "--period", "2026-Q1")
    done = run(db_url, "report", "submit", *unit, "--actor", "xa.hongan")
    assert done.exit_code == 0, done.output
    assert ("Đã nộp báo cáo Quý I năm 2026 (biểu DANSO) của Phường Hồng An (mã 11602), phiên bản 1: Đã nộp, chờ "
            "duyệt.") in done.output
    assert "Hạn nộp: 07/04/2026 — nộp muộn. Đơn vị nhận: Thành phố Hải Phòng." in done.output

    no_reason = run(db_url, "report", "return", *unit)
    assert no_reason.exit_code == 2 and "Missing option '--reason'" in no_reason.output
    blank = run(db_url, "report", "return", *unit, "--reason", " ")
    assert blank.exit_code == 2 and "Phải ghi lý do trả lại báo cáo." in blank.output
    back = run(db_url, "report", "return", *unit, "--reason", "Thiếu [phiếu] tháng 3 :x:", "--actor", "tinh.hp")
    assert back.exit_code == 0 and "phiên bản 1: Bị trả lại." in back.output
    assert run(db_url, "report", "submit", *unit, "--actor", "xa.hongan").exit_code == 0
    approved = run(db_url, "report", "approve", *unit, "--actor", "tinh.hp")
    assert approved.exit_code == 0, approved.output
    assert "phiên bản 2: Đã duyệt." in approved.output
    assert "Đã khóa sổ tháng 01/2026, 02/2026, 03/2026 của Phường Hồng An" in approved.output
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(closed_months)).scalar_one() == 3

    twice = run(db_url, "report", "approve", *unit, "--actor", "tinh.khac")
    assert twice.exit_code == 2
    assert "vừa được tinh.hp chuyển sang “Đã duyệt”" in twice.output and "không có gì thay đổi" in twice.output
    reopened = run(db_url, "report", "reopen", *unit, "--reason", "Sai số sinh", "--actor", "tinh.hp")
    assert reopened.exit_code == 0 and "phiên bản 2: Đã mở lại." in reopened.output
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(closed_months)).scalar_one() == 0

    shown = run(db_url, "report", "history", *unit)
    assert shown.exit_code == 0, shown.output
    assert "Phường Hồng An (mã 11602) — Quý I năm 2026, biểu DANSO: Đã mở lại" in shown.output
    for line in ("xa.hongan │ nộp (muộn) │ 1", "tinh.hp   │ trả lại    │ 1", "Thiếu [phiếu] tháng 3 :x:",
                 "tinh.hp   │ duyệt      │ 2", "tinh.hp   │ mở lại     │ 2", "Sai số sinh"):
        assert line in shown.output, line
    frozen = run(db_url, "report", "history", *unit, "--version", "2")
    assert frozen.exit_code == 0 and json.loads(frozen.output)["unit"]["code"] == COMMUNE
    missing = run(db_url, "report", "history", *unit, "--version", "3")
    assert missing.exit_code == 3
    assert "Không tìm thấy báo cáo mã 11602 kỳ 2026-Q1 (biểu DANSO, phiên bản 3)." in missing.output


def test_the_status_of_a_provinces_communes_side_by_side(ctx, db_url):
    period = ("--period", "2026-03")
    assert run(db_url, "report", "submit", "--unit", COMMUNE, *period).exit_code == 0
    assert run(db_url, "report", "submit", "--unit", "10507", *period).exit_code == 0
    assert run(db_url, "report", "approve", "--unit", "10507", *period).exit_code == 0
    table = run(db_url, "report", "status", "--unit", PROVINCE, *period)
    assert table.exit_code == 0, table.output
    assert "Tình hình nộp báo cáo Tháng 3 năm 2026 (biểu DANSO) — Thành phố Hải Phòng (mã 31); hạn nộp 07/04/2026" \
        in table.output
    assert "114 xã/phường: 1 đã duyệt, 1 chờ duyệt, 0 bị trả lại, 0 mở lại, 112 chưa nộp (112 quá hạn); 2 nộp " \
           "muộn." in table.output
    assert "Đã nộp, chờ duyệt — nộp muộn" in table.output and "Chưa nộp — quá hạn" in table.output
    doc = json.loads(run(db_url, "report", "status", "--unit", PROVINCE, *period, "--format", "json",
                         "--missing").output)
    assert doc["deadline"] == "2026-04-07" and doc["counts"]["missing"] == 112
    assert len(doc["communes"]) == 114  # every one was late or is missing
    states = {c["code"]: (c["state"], c["late"], c["version"]) for c in doc["communes"]}
    assert states[COMMUNE] == ("submitted", True, 1) and states["10507"] == ("approved", True, 1)
    assert states["10525"] == ("missing", False, 0)


def test_bad_input_exits_with_code_2_or_3_in_vietnamese_and_writes_nothing(ctx, db_url):
    cases = [
        (("submit", "--unit", COMMUNE, "--period", "2026-13"), 2, "Kỳ báo cáo “2026-13” không hợp lệ"),
        (("submit", "--unit", COMMUNE, "--period", "2099-01"), 2, "chưa kết thúc (đến 31/01/2099)"),
        (("submit", "--unit", PROVINCE, "--period", "2026-Q1"), 2, "chỉ xã/phường nộp báo cáo lên cấp trên"),
        (("submit", "--unit", COMMUNE, "--period", "2026-Q1", "--form", "03-DSX"), 2,
         "Biểu 03-DSX là báo cáo theo năm"),
        (("approve", "--unit", COMMUNE, "--period", "2026-Q1"), 2,
         "không thể duyệt báo cáo đang ở trạng thái “Chưa nộp”"),
        (("submit", "--unit", "99999", "--period", "2026-Q1"), 3, "Không tìm thấy đơn vị hành chính mã 99999."),
        (("status", "--unit", "99999", "--period", "2026-Q1"), 3, "Không tìm thấy đơn vị hành chính mã 99999."),
    ]
    for args, code, text in cases:
        result = run(db_url, "report", *args)
        assert result.exit_code == code, (args, result.output)
        assert text in " ".join(result.output.split()), (args, result.output)
    assert _versions(ctx) == 0
