"""`danso forecast`: hand-given inputs, every output format, scenarios and clear refusals."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from danso.cli.main import cli
from danso.forecast.inputs import InputsError, parse_inputs
from danso.forecast.run import run_forecast
from danso.forecast.scenarios import BUILTIN, SCENARIO_DIR_ENV, load_scenario

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "forecast-inputs.json"


def _run(*args: str):
    return CliRunner().invoke(cli, ["forecast", "--inputs", str(EXAMPLE), *args])


def test_the_documented_example_projects_and_prints_indicators_and_assumptions_in_vietnamese():
    result = _run("--years", "30")
    assert result.exit_code == 0, result.output
    assert "Tuổi TV" in result.output and "Phương pháp và giả định" in result.output
    assert "01/07/2050" in result.output and "2055" not in result.output


def test_csv_holds_every_year_sex_and_age_group_and_sums_to_the_total():
    result = _run("--years", "10", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 3 * 2 * 18
    assert rows[0]["ngay"] == "01/07/2020" and rows[-1]["ngay"] == "01/07/2030"
    base = sum(float(r["dan_so"]) for r in rows if r["ngay"] == rows[0]["ngay"])
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert base == pytest.approx(sum(doc["population"]["male"]) + sum(doc["population"]["female"]))


def test_json_xlsx_svg_and_png_outputs(tmp_path):
    out = _run("--years", "10", "--format", "json")
    doc = json.loads(out.output)
    assert doc["age_groups"][-1] == "85+" and len(doc["indicators_by_year"]) == 3
    assert _run("--format", "xlsx", "-o", str(tmp_path / "f.xlsx")).exit_code == 0
    wb = load_workbook(tmp_path / "f.xlsx")
    assert wb.sheetnames == ["Chỉ tiêu", "Biến động", "Dân số", "Giả định"]
    assert wb["Chỉ tiêu"]["A2"].value == "01/07/2020"
    svg = _run("--format", "svg").output
    assert svg.startswith("<svg") and "Nữ" in svg and svg.count("<rect") == 1 + 2 * 2 * 18
    ElementTree.fromstring(svg)  # well-formed XML
    animated = _run("--format", "svg-animated", "--years", "20").output
    assert animated.count("<animate ") > 36
    ElementTree.fromstring(animated)
    assert _run("--format", "png", "-o", str(tmp_path / "p.png")).exit_code == 0
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_low_medium_high_order_births_and_no_migration_changes_nothing_without_migrants():
    inputs = parse_inputs(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    births = {name: run_forecast(inputs, BUILTIN[name], 30).projection.births.sum()
              for name in ("low", "medium", "high", "no-migration")}
    assert births["low"] < births["medium"] < births["high"]
    assert births["no-migration"] == pytest.approx(births["medium"])


def test_a_user_scenario_is_saved_by_name_and_used_again(tmp_path, monkeypatch):
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(tmp_path))
    saved = _run("--years", "10", "--tfr-target", "1.6", "--target-year", "2025", "--save-scenario", "tfr-16")
    assert saved.exit_code == 0, saved.output
    assert load_scenario("tfr-16").tfr_target == 1.6
    again = _run("--years", "10", "--scenario", "tfr-16", "--format", "json")
    tfrs = [s["tfr"] for s in json.loads(again.output)["components_by_step"]]
    assert tfrs[1] == pytest.approx(1.6)
    unknown = _run("--scenario", "nope")
    assert unknown.exit_code == 2 and "không có phương án “nope”" in unknown.output


def test_a_bad_inputs_file_is_refused_naming_every_field(tmp_path):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["population"]["female"] = doc["population"]["female"][:-1]
    doc["srb"] = "cao"
    del doc["fertility"]
    with pytest.raises(InputsError) as e:
        parse_inputs(doc)
    text = " | ".join(e.value.problems)
    assert "population.female: cần đúng 18 giá trị" in text
    assert "srb: phải là một số" in text and "fertility: chưa ghi" in text
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(cli, ["forecast", "--inputs", str(bad)])
    assert result.exit_code == 2 and "population.female" in result.output


def test_the_register_can_be_forecast_from_the_command_line_and_its_inputs_exported(db_url, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db_url, "demo", "--province", "31", "--communes", "2",
                               "--persons", "1500"]).exit_code == 0
    exported = tmp_path / "inputs.json"
    result = runner.invoke(cli, ["--db", db_url, "forecast", "--unit", "31", "--base-date", "31/12/2025",
                                 "--years", "10", "--show-inputs", "--export-inputs", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Mức sinh" in result.output and "Năm-người nữ" in result.output and "SRB:" in result.output
    assert "Dân số gốc: nhân khẩu thực tế thường trú ngày 31/12/2025" in result.output
    rerun = runner.invoke(cli, ["forecast", "--inputs", str(exported), "--years", "10", "--format", "json"])
    assert rerun.exit_code == 0, rerun.output
    direct = runner.invoke(cli, ["--db", db_url, "forecast", "--unit", "31", "--base-date", "31/12/2025",
                                 "--years", "10", "--format", "json"])
    # the same engine gives the same answer from the exported (hand-editable) inputs
    for sex in ("male", "female"):
        np.testing.assert_allclose(json.loads(rerun.output)["population"][sex],
                                   json.loads(direct.output)["population"][sex], rtol=1e-6)
    communes = runner.invoke(cli, ["--db", db_url, "forecast", "--unit", "31", "--base-date", "31/12/2025",
                                   "--years", "10", "--communes", "--format", "csv", "-o", str(tmp_path / "out")])
    assert communes.exit_code == 0, communes.output
    assert len(list((tmp_path / "out").glob("*.csv"))) == 3
