"""The PDF of a report, as users get it: the page's download link (audited) and ``danso report --format pdf``."""
from __future__ import annotations

import io

from click.testing import CliRunner
from pypdf import PdfReader

from danso.cli.main import cli
from danso.domain.access import Principal, Role
from danso.services import accounts
from tests.web.conftest import COMMUNE_A

QUARTER = "2025-Q4"  # the demo register is drawn on 31/12/2025


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_report_page_offers_the_pdf_and_the_download_is_the_report_and_is_audited(world, pages_as):
    client = pages_as("xa")
    q = {"unit": COMMUNE_A, "period": QUARTER}
    page = client.get("/reports", params=q)
    assert page.status_code == 200 and "/reports/export/pdf?" in page.text
    r = client.get("/reports/export/pdf", params=q)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="bao-cao-danso-10507-2025-Q4.pdf"'
    text = _text(r.content)
    assert "Quý IV năm 2025" in text and "(mã 10507)" in text, text[:400]
    assert "Người lập biểu" in text and "Thủ trưởng đơn vị" in text
    admin = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)
    entries, _ = accounts.audit_entries(world.ctx, admin, actor="xa.demo", action="export.report")
    assert entries[0].detail.startswith("pdf;")


def test_cli_writes_the_pdf_to_a_file_and_asks_for_one(world, tmp_path):
    url = world.ctx.engine.url.render_as_string(hide_password=False)
    out = CliRunner().invoke(cli, ["--db", url, "report", "--unit", COMMUNE_A, "--period", QUARTER, "--format", "pdf"])
    assert out.exit_code != 0 and "định dạng pdf cần tệp kết quả: thêm -o TÊN_TỆP.pdf" in out.output
    path = tmp_path / "q4.pdf"
    out = CliRunner().invoke(cli, ["--db", url, "report", "--unit", COMMUNE_A, "--period", QUARTER, "--format", "pdf",
                                   "-o", str(path)])
    assert out.exit_code == 0, out.output
    assert path.read_bytes()[:5] == b"%PDF-" and "Người lập biểu" in _text(path.read_bytes())
