"""Vietnamese wording of the accounts and access problems, registered into danso.messages_vi (one ``word()``
for every problem). Imported by the edges that can raise them (danso.cli.users, danso.web.app)."""
from __future__ import annotations

from danso import messages_vi

FIELDS = {
    "login": "Tên đăng nhập", "password": "Mật khẩu", "role": "Vai trò", "page": "Trang",
    "page_size": "Số dòng mỗi trang", "token": "Mã truy cập API", "since": "Từ ngày", "until": "Đến ngày",
}

TEMPLATES = {
    "user.login_shape": "tên đăng nhập “{value}” phải dài 3–64 ký tự, chỉ gồm chữ thường không dấu, số và . _ -.",
    "user.login_taken": "tên đăng nhập “{value}” đã có người dùng.",
    "user.unknown": "không có người dùng “{value}”; xem `danso users list`.",
    "user.name_missing": "chưa ghi họ và tên người dùng.",
    "user.role_unknown": "vai trò “{value}” không có; chọn một trong: {roles}.",
    "user.scope_level": "vai trò {role} phải gắn với một đơn vị cấp {levels}.",
    "user.scope_nationwide": "vai trò {role} áp dụng toàn quốc, không gắn với đơn vị.",
    "user.password_short": "mật khẩu phải dài ít nhất {min} ký tự.",
    "user.password_is_login": "mật khẩu không được trùng tên đăng nhập.",
    "user.outside_scope": "chỉ tạo được tài khoản có phạm vi trong {scope}; vai trò này áp dụng toàn quốc.",
    "user.self_disable": "không thể tự khoá tài khoản của chính mình.",
    "page.invalid": "{field} “{value}” không hợp lệ (phải là số nguyên từ {min} đến {max}).",
    "date.range": "ngày “từ” phải trước hoặc bằng ngày “đến”.",
    "slip.decision_unknown": "quyết định “{value}” không có (duyệt, trả lại, từ chối).",
}

messages_vi.FIELDS.update({k: v for k, v in FIELDS.items() if k not in messages_vi.FIELDS})
messages_vi.TEMPLATES.update({k: v for k, v in TEMPLATES.items() if k not in messages_vi.TEMPLATES})
