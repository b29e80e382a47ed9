"""Vietnamese wording of the problems of report submission and approval, registered into danso.messages_vi
(one ``word()`` for every problem). Imported by the edges that can raise them (danso.cli.reports,
danso.web.pages.reports, danso.web.api.v1.reports)."""
from __future__ import annotations

from danso import messages_vi

FIELDS = {"period": "Kỳ báo cáo", "form": "Biểu mẫu", "version": "Phiên bản"}

TEMPLATES = {
    "report.input": "{message}",
    "report.not_commune": "{name} (mã {code}) là cấp {level}: chỉ xã/phường nộp báo cáo lên cấp trên; xem tình hình "
                          "nộp của các xã/phường bằng `danso report status`.",
    "report.not_ended": "kỳ {period} chưa kết thúc (đến {end}); chỉ nộp báo cáo của kỳ đã qua.",
    "report.no_parent": "{name} (mã {code}) không có đơn vị cấp trên vào ngày {on} để nhận báo cáo.",
    "report.bad_state": "không thể {action} báo cáo đang ở trạng thái “{state}”.",
    "report.reason_missing": "phải ghi lý do {action} báo cáo.",
    "report.reason_long": "lý do dài quá {max} ký tự.",
}

messages_vi.FIELDS.update({k: v for k, v in FIELDS.items() if k not in messages_vi.FIELDS})
messages_vi.TEMPLATES.update({k: v for k, v in TEMPLATES.items() if k not in messages_vi.TEMPLATES})
