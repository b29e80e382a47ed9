"""The `danso` command end to end (click's CliRunner), on both engines: messages in Vietnamese, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from danso.cli.main import cli
from danso.domain import clock
from danso.domain.identifiers import SEX_FEMALE, make_cccd
from danso.services.registry import household_sheet
from factories import Factory, make_area, row_counts


@pytest.fixture
def ro_url(read_only_ctx) -> str:
    """The URL of the module's shared database, for the commands that only read."""
    return read_only_ctx.engine.url.render_as_string(hide_password=False)


def run(db_url: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db_url, *args])


def write(tmp_path: Path, doc) -> str:
    path = tmp_path / "households.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_init_creates_a_new_database_that_then_loads_the_official_units(empty_db_url):
    before = run(empty_db_url, "units", "show", "31")
    assert before.exit_code == 2
    assert "Cơ sở dữ liệu chưa được khởi tạo" in before.stderr and "danso init" in before.stderr
    first = run(empty_db_url, "init")
    assert first.exit_code == 0, first.output
    assert "Cơ sở dữ liệu sẵn sàng" in first.stdout
    assert Path(empty_db_url.removeprefix("sqlite:///")).is_file()
    assert run(empty_db_url, "init").exit_code == 0  # upgrading a current database is harmless
    loaded = run(empty_db_url, "units", "load")
    assert loaded.exit_code == 0, loaded.output
    assert "Đã nạp danh mục đơn vị hành chính." in loaded.stdout
    for line in ("province (mới): 34", "commune (mới): 3.321", "province (cũ): 63", "district (cũ): 696",
                 "commune (cũ): 10.035"):
        assert line in loaded.stdout
    again = run(empty_db_url, "units", "load")
    assert "Danh mục đã có sẵn, không nạp lại." in again.stdout


def test_units_show_prints_every_version_of_a_code_with_its_parents_and_lineage(ro_url):
    result = run(ro_url, "units", "show", "11602")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Phường An Hồng — mã 11602, Xã/phường (Phường), hiệu lực … – 30/06/2025" in out
    assert "thuộc: Quận Hồng Bàng (mã 303) từ … đến 30/06/2025" in out
    assert "sáp nhập vào: Phường Hồng An (mã 11602)" in out
    assert "Phường Hồng An — mã 11602, Xã/phường (Phường), hiệu lực 01/07/2025 – nay" in out
    assert "nhận một phần của: Phường Lê Thiện (mã 11584)" in out
    split = run(ro_url, "units", "show", "11584").stdout
    assert split.count("chia một phần vào:") >= 2 and split.count("đơn vị nhận mặc định") == 1


def test_units_tree_on_a_date_shows_the_hierarchy_of_that_day(ro_url):
    before = run(ro_url, "units", "tree", "31", "--on", "30/06/2025")
    assert before.exit_code == 0, before.output
    assert "303  Quận Hồng Bàng (10 đơn vị trực thuộc)" in before.stdout
    after = run(ro_url, "units", "tree", "31", "--on", "01/07/2025")
    assert "11602  Phường Hồng An" in after.stdout and "Quận Hồng Bàng" not in after.stdout
    legacy = run(ro_url, "units", "tree", "11602", "--on", "30/06/2025")
    assert legacy.stdout.splitlines()[:2] == ["Việt Nam › Thành phố Hải Phòng › Quận Hồng Bàng", "11602  Phường An Hồng"]


def test_units_commands_refuse_unknown_codes_and_impossible_dates_in_vietnamese(db_url):
    unknown = run(db_url, "units", "tree", "99999")
    assert unknown.exit_code == 2
    assert "không có đơn vị hành chính mã “99999”" in unknown.stderr
    gone = run(db_url, "units", "tree", "303", "--on", "01/07/2025")
    assert gone.exit_code == 2 and "không còn/chưa có hiệu lực ngày 01/07/2025" in gone.stderr
    missing = run(db_url, "units", "show", "99999")
    assert missing.exit_code == 3 and "Không tìm thấy đơn vị hành chính mã 99999" in missing.stderr
    bad_date = run(db_url, "units", "tree", "31", "--on", "31/02/2025")
    assert bad_date.exit_code == 2 and "ngày '31/02/2025' không tồn tại" in bad_date.stderr
    village = run(db_url, "units", "add-village", "11296", "Thôn Mới")
    assert village.exit_code == 2
    assert "11296: đơn vị mã “11296” không còn/chưa có hiệu lực" in village.stderr


def test_villages_and_areas_are_added_from_the_command_line(db_url):
    village = run(db_url, "units", "add-village", "11602", "Tổ dân phố 3", "--kind", "Tổ dân phố",
                  "--legacy-commune", "11296")
    assert village.exit_code == 0, village.output
    assert "Đã tạo Tổ dân phố 3 (Tổ dân phố), mã 11602-001" in village.stdout
    area = run(db_url, "units", "add-area", "11602-001", "Địa bàn 1")
    assert "Đã tạo địa bàn Địa bàn 1, mã 11602-001-01" in area.stdout
    tree = run(db_url, "units", "tree", "11296", "--on", "01/01/2020", "--depth", "2")
    assert "  11602-001  Tổ dân phố 3" in tree.stdout and "    11602-001-01  Địa bàn 1" in tree.stdout


def test_a_bad_household_file_exits_with_code_2_naming_the_record_and_the_field_and_writes_nothing(
        ctx, db_url, tmp_path):
    area = make_area(ctx)
    f = Factory(seed=21, on=clock.today())
    first, second, third = (f.family(area, children=1) for _ in range(3))
    wife = second["members"][1]
    wife["cccd"] = make_cccd("31", SEX_FEMALE, int(wife["birth"][-4:]) + 1, 123)
    bad = third
    bad["members"][2]["birth"] = "30/02/2020"
    before = row_counts(ctx)
    result = run(db_url, "households", "import", write(tmp_path, {"households": [first, second, third]}))
    assert result.exit_code == 2, result.output
    assert "Dữ liệu không hợp lệ — không có gì được ghi (2 lỗi):" in result.stderr
    assert (f"hộ {second['number']}, người 2 ({wife['full_name']}): số CCCD {wife['cccd']} ứng với năm sinh "
            f"{int(wife['birth'][-4:]) + 1}, nhưng năm sinh ghi là {wife['birth'][-4:]}.") in result.stderr
    assert (f"hộ {bad['number']}, người 3 ({bad['members'][2]['full_name']}): Ngày sinh “30/02/2020” không phải "
            "ngày hợp lệ") in result.stderr
    assert result.stdout == ""
    assert row_counts(ctx) == before
    broken = tmp_path / "broken.json"
    broken.write_text('{"households": [', encoding="utf-8")
    result = run(db_url, "households", "import", str(broken))
    assert result.exit_code == 2 and "broken.json (JSON lỗi" in result.stderr
    assert row_counts(ctx) == before


def test_households_are_imported_shown_searched_moved_and_summed_up_from_the_command_line(ctx, db_url, tmp_path):
    area = make_area(ctx)
    today = clock.today()
    f = Factory(seed=22, on=today)
    first, second = f.family(area, children=1, grandparent=False), f.family(area, children=0, grandparent=False)
    first["members"][0]["full_name"] = "Nguyễn Văn An"
    first["members"][2]["residence"] = "3"  # tạm trú: not in the resident population
    second["members"][1]["residence"] = "4"  # tạm vắng: counted
    imported = run(db_url, "households", "import", write(tmp_path, {"households": [first, second]}))
    assert imported.exit_code == 0, imported.output
    assert "Đã ghi 2 hộ, 5 người" in imported.stdout

    found = run(db_url, "persons", "search", "nguyen", "van", "an")
    assert found.exit_code == 0, found.output
    assert "Nguyễn Văn An" in found.stdout and area in found.stdout
    assert "Không tìm thấy ai." in run(db_url, "persons", "search", "tran van an").stdout
    assert "Không tìm thấy ai." in run(db_url, "persons", "search", "nguyen", "--unit", "10507").stdout
    by_id = run(db_url, "persons", "search", first["members"][1]["cccd"])
    assert first["members"][1]["full_name"] in by_id.stdout

    [hid1, hid2] = [h.household_id for h in _hits(ctx, first, second)]
    shown = run(db_url, "households", "show", str(hid1))
    assert shown.exit_code == 0, shown.output
    assert f"Hộ số {first['number']} (mã hộ {hid1}, Hộ gia đình)" in shown.stdout
    assert "Nguyễn Văn An" in shown.stdout and "Phường Hồng An" in shown.stdout

    total = run(db_url, "summary", "--unit", "11602", "--on", today.strftime("%d/%m/%Y"))
    assert total.exit_code == 0, total.output
    assert "Hộ dân cư: 2 (hộ gia đình: 2)   Nhân khẩu thực tế thường trú: 4" in total.stdout

    pid = next(m.person.id for m in household_sheet(ctx, hid1, today).members
               if m.person.full_name == "Nguyễn Văn An")
    moved = run(db_url, "persons", "move", str(pid), "--to", str(hid2), "--on", today.strftime("%d/%m/%Y"),
                "--relation", "10")
    assert moved.exit_code == 0, moved.output
    assert f"Đã chuyển người {pid} sang hộ {hid2} từ ngày {today:%d/%m/%Y}." in moved.stdout
    again = run(db_url, "persons", "move", str(pid), "--to", str(hid1), "--on", today.strftime("%d/%m/%Y"),
                "--relation", "01")
    assert again.exit_code == 2 and f"người {pid}: từ ngày {today:%d/%m/%Y} người này đã có hộ khác" in again.stderr
    history = run(db_url, "households", "show", str(hid1))
    assert "Lịch sử thành viên" in history.stdout and "Nguyễn Văn An: ở hộ từ" in history.stdout
    assert run(db_url, "households", "show", "999999").exit_code == 3


def _hits(ctx, *households):
    from danso.services.registry import search_persons

    return [search_persons(ctx, h["members"][0]["bhyt"])[0] for h in households]


@pytest.mark.parametrize("args", [["summary", "--unit", "99999"], ["persons", "search", "an", "--unit", "99999"]])
def test_reports_on_an_unknown_unit_exit_with_code_2(ro_url, args):
    result = run(ro_url, *args)
    assert result.exit_code == 2 and "không có đơn vị hành chính mã “99999”" in result.stderr
