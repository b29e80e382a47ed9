"""`danso slips …`, `danso history …` and `danso events …` end to end, on files a commune officer would have."""
from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from danso.cli.main import cli
from danso.services import slips as svc
from slip_factories import small_register


def run(db_url: str, *args: str):  # noqa: ANN201
    return CliRunner().invoke(cli, ["--db", db_url, *args])


def test_slips_are_imported_from_json_and_csv_listed_returned_accepted_and_shown_in_the_history(ctx, db_url, tmp_path):
    reg = small_register(ctx, households=2)
    f0, f1 = reg.families
    doc = {"slips": [
        {"client_id": "tab-01", "kind": "move_out", "area": reg.area, "submit": True,
         "data": {"person": f1.children[0], "date": "05/02/2026", "destination": "Đà Nẵng"}},
        {"client_id": "tab-02", "kind": "elderly_checkup", "area": reg.area,
         "data": {"person": f0.elder, "date": "06/02/2026"}}]}
    json_file = tmp_path / "phieu.json"
    json_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run(db_url, "slips", "import", str(json_file), "--actor", "ctv:an")
    assert result.exit_code == 0, result.output
    assert "Đã ghi 2 phiếu mới (0 phiếu đã có từ trước); 1 phiếu chờ duyệt." in result.output
    again = run(db_url, "slips", "import", str(json_file), "--actor", "ctv:an")  # sent twice: recorded once
    assert again.exit_code == 0 and "Đã ghi 0 phiếu mới (2 phiếu đã có từ trước)" in again.output
    csv_file = tmp_path / "phieu.csv"
    with csv_file.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["client_id", "kind", "area", "month", "submit", "person", "date", "method", "place"])
        w.writerow(["tab-03", "contraception_start", reg.area, "2026-02", "có", f0.wife, "07/02/2026", "3", "1"])
    result = run(db_url, "slips", "import", str(csv_file), "--actor", "ctv:an")
    assert result.exit_code == 0, result.output
    assert "Đã ghi 1 phiếu mới (0 phiếu đã có từ trước); 1 phiếu chờ duyệt." in result.output
    ids = {v.client_id: v.id for v in svc.list_slips(ctx)}
    listed = run(db_url, "slips", "list", "--unit", reg.area, "--month", "2026-02", "--status", "submitted")
    assert listed.exit_code == 0, listed.output
    assert "Phiếu thu tin (2)" in listed.output and "Chuyển đi khỏi xã" in listed.output
    assert "Mới sử dụng/chuyển biện pháp tránh thai" in listed.output and "Chờ duyệt" in listed.output
    reason = "Ghi rõ nơi cung cấp [trạm y tế] :ok:"  # what users type is shown as typed
    returned = run(db_url, "slips", "return", str(ids["tab-03"]), "--reason", reason, "--actor", "xa:b")
    assert returned.exit_code == 0 and f"Phiếu {ids['tab-03']}: Trả lại để sửa" in returned.output
    listed = run(db_url, "slips", "list", "--status", "returned")
    assert listed.exit_code == 0 and reason in listed.output and "Phiếu thu tin (1)" in listed.output
    accepted = run(db_url, "slips", "accept", str(ids["tab-01"]), "--actor", "xa:b")
    assert accepted.exit_code == 0 and f"Phiếu {ids['tab-01']}: đã duyệt." in accepted.output
    refused = run(db_url, "slips", "accept", str(ids["tab-02"]), "--actor", "xa:b")  # still a draft
    assert refused.exit_code == 2
    assert f"Phiếu {ids['tab-02']}: không duyệt được" in refused.output
    assert "không thể duyệt phiếu đang ở trạng thái “Bản nháp”" in refused.output
    shown = run(db_url, "slips", "show", str(ids["tab-01"]))
    assert shown.exit_code == 0 and "xa:b: accept → Đã duyệt" in shown.output and "Chuyển đi ngày 05/02/2026" in shown.output
    event = svc.get_slip(ctx, ids["tab-01"]).events[0]
    reversed_ = run(db_url, "events", "reverse", str(event.id), "--reason", "sai [ngày] :x:", "--actor", "xa:b")
    assert reversed_.exit_code == 0 and f"Đã hủy sự kiện {event.id}" in reversed_.output
    history = run(db_url, "history", "person", str(f1.children[0]))
    assert history.exit_code == 0 and "Chuyển đi" in history.output and "05/02/2026" in history.output
    assert f"hủy sự kiện {event.id}: sai [ngày] :x:" in history.output
    assert f"đã hủy (sự kiện {event.id + 1})" in history.output
    household = run(db_url, "history", "household", str(f1.household))
    assert household.exit_code == 0 and "Ghi sổ hộ" in household.output and "Chuyển đi" in household.output


def test_the_log_is_replayed_into_a_fresh_database_and_found_identical(ctx, db_url, tmp_path):
    reg = small_register(ctx, households=1)
    svc.create_slip(ctx, client_id="tab-09", kind="death", area_code=reg.area, month="",
                    data={"person": reg.families[0].elder, "date": "01/03/2026"}, actor="ctv:an", submit=True)
    assert run(db_url, "slips", "accept", "1").exit_code == 0
    into = f"sqlite:///{tmp_path / 'dung-lai.db'}"
    result = run(db_url, "events", "replay", "--into", into)
    assert result.exit_code == 0, result.output
    assert "Đã chạy lại 2 sự kiện" in result.output and "sổ dựng lại giống hệt sổ đang dùng" in result.output
    again = run(db_url, "events", "replay", "--into", into)
    assert again.exit_code == 2 and "cơ sở dữ liệu đích đã có dữ liệu; cần một cơ sở dữ liệu trống." in again.output


def test_a_bad_slips_file_exits_with_code_2_and_a_vietnamese_message_and_writes_nothing(ctx, db_url, tmp_path):
    reg = small_register(ctx, households=1)
    broken = tmp_path / "hong.json"
    broken.write_text("{\"slips\": [", encoding="utf-8")
    result = run(db_url, "slips", "import", str(broken))
    assert result.exit_code == 2
    assert "Dữ liệu không hợp lệ" in result.output and "hong.json: không đọc được tệp phiếu:" in result.output
    not_a_list = tmp_path / "sai.json"
    not_a_list.write_text(json.dumps({"phieu": []}), encoding="utf-8")
    result = run(db_url, "slips", "import", str(not_a_list))
    assert result.exit_code == 2
    assert "sai.json: tệp JSON phải là một đối tượng có danh sách “slips” (xem docs/slips.md)." in result.output
    bad_rows = tmp_path / "sai.csv"
    bad_rows.write_text("client_id,kind,area,person,date\n"
                        f"x-1,elderly_checkup,{reg.area},{reg.families[0].elder},01/03/2026\n"
                        f"x-2,cuoi_hoi,{reg.area},{reg.families[0].elder},01/03/2026\n"
                        f"x-3,death,{reg.area},{reg.families[0].elder},31/02/2026\n", encoding="utf-8")
    result = run(db_url, "slips", "import", str(bad_rows))
    assert result.exit_code == 2
    assert "(2 lỗi)" in result.output
    assert "phiếu x-2: loại phiếu “cuoi_hoi” không có" in result.output
    assert "phiếu x-3: Ngày xảy ra “31/02/2026” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy)." in result.output
    assert svc.list_slips(ctx) == []
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("client_id,kind\nx,ng\xe0y\n".encode("latin-1"))
    result = run(db_url, "slips", "import", str(latin1))
    assert result.exit_code == 2 and "không đọc được tệp phiếu" in result.output
