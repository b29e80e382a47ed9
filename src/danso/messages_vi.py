"""Vietnamese wording of problems and field names. The domain returns codes; the CLI and web word them here."""
from __future__ import annotations

import datetime as dt
from typing import Any

from danso.domain.problems import Problem
from danso.domain.vntext import format_date

FIELDS = {
    "full_name": "Họ và tên", "sex": "Giới tính", "birth": "Ngày sinh", "ethnicity": "Dân tộc",
    "education": "Trình độ học vấn", "marital": "Tình trạng hôn nhân", "residence": "Tình trạng cư trú",
    "relation": "Quan hệ với chủ hộ", "cccd": "Số CCCD/mã định danh", "bhyt": "Mã thẻ BHYT",
    "disability": "Tình trạng khuyết tật", "mother": "Mẹ", "since": "Ngày vào hộ", "kind": "Loại hộ",
    "number": "Số hộ", "area": "Địa bàn CTV", "established_on": "Ngày lập hộ", "members": "Thành viên",
    "households": "Danh sách hộ", "contraceptive_method": "Biện pháp tránh thai",
    "contraceptive_since": "Ngày bắt đầu dùng BPTT", "living_sons": "Số con trai còn sống",
    "living_daughters": "Số con gái còn sống", "unit": "Đơn vị", "commune": "Xã/phường",
    "legacy_commune": "Xã/phường cũ (trước 01/07/2025)", "village": "Thôn/tổ dân phố", "name": "Tên",
    "text": "Nội dung tìm kiếm", "on": "Ngày", "to": "Hộ chuyển đến", "province": "Tỉnh/thành phố",
    "persons": "Số người", "communes": "Số xã",
}

TEMPLATES = {
    "field.missing": "chưa ghi {field}.",
    "field.not_number": "{field} phải là một số (đang ghi “{value}”).",
    "sheet.not_households": "tệp phải là một đối tượng JSON có danh sách “households”.",
    "sheet.not_object": "mỗi mục trong {field} phải là một đối tượng JSON.",
    "code.unknown": "{field} “{value}” không có trong danh mục {list}; xem `danso codes`.",
    "date.invalid": "{field} “{value}” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy).",
    "date.impossible": "{field} {value} không tồn tại.",
    "date.future": "{field} {value} ở tương lai; kiểm tra lại ngày.",
    "date.too_old": "năm sinh {value} không hợp lý (quá 130 tuổi).",
    "date.before_birth": "{field} {value} trước ngày sinh của người này.",
    "person.name_missing": "chưa ghi họ và tên.",
    "person.mother_unknown": "{field}: số thứ tự “{value}” không trỏ tới một người khác trong hộ.",
    "person.mother_not_female": "người được ghi là mẹ ({mother}) không phải nữ.",
    "person.older_than_mother": "người con sinh trước hoặc cùng năm với mẹ ({mother}); kiểm tra ngày sinh của con "
                                "và của mẹ.",
    "person.mother_too_young": "mẹ ({mother}) mới {age} tuổi khi sinh người này; kiểm tra ngày sinh.",
    "person.mother_too_old": "mẹ ({mother}) đã {age} tuổi khi sinh người này; kiểm tra ngày sinh.",
    "person.duplicate_in_file": "{field} {value} trùng với {other} trong cùng tệp.",
    "person.in_other_household": "{field} này đã thuộc người {name} (mã {person_id}) đang ở hộ mã {household_id}: "
                                 "một người không thể ở hai hộ cùng lúc; dùng `danso persons move` để chuyển hộ.",
    "person.already_registered": "{field} này đã thuộc người {name} (mã {person_id}) trong sổ.",
    "person.same_household": "người này đang ở hộ mã {household_id} rồi.",
    "person.overlapping_membership": "từ ngày {value} người này đã có hộ khác trong lịch sử; "
                                     "ngày chuyển phải sau mọi lần vào/ra hộ trước.",
    "household.heads": "hộ gia đình phải có đúng một chủ hộ (quan hệ 01), đang có {count}.",
    "household.empty": "hộ chưa có thành viên nào.",
    "household.number_missing": "chưa ghi số hộ.",
    "women.not_eligible": "chỉ ghi BPTT, số con, mang thai cho phụ nữ 15–49 tuổi đang có chồng "
                          "(người này {age} tuổi, hoặc không phải nữ có chồng).",
    "women.method_since_missing": "chưa ghi ngày bắt đầu dùng biện pháp tránh thai.",
    "women.children_count": "{field} “{value}” không hợp lý (0–20).",
    "cccd.shape": "số CCCD/mã định danh “{value}” phải gồm đúng 12 chữ số.",
    "cccd.province": "số CCCD {value}: mã tỉnh nơi đăng ký khai sinh “{code}” không tồn tại.",
    "cccd.sex_mismatch": "số CCCD {value} không khớp giới tính (chữ số thứ 4 mã hóa thế kỷ và giới tính).",
    "cccd.year_mismatch": "số CCCD {value} ứng với năm sinh {cccd_year}, nhưng năm sinh ghi là {birth_year}.",
    "bhyt.shape": "mã thẻ BHYT “{value}” phải gồm 15 ký tự (2 chữ cái, mức hưởng 1–5, mã tỉnh 2 số, 10 số BHXH) "
                  "hoặc là mã số BHXH 10 chữ số.",
    "bhyt.province": "mã thẻ BHYT {value}: mã tỉnh “{code}” không tồn tại.",
    "unit.unknown": "không có đơn vị hành chính mã “{code}”; xem `danso units tree VN`.",
    "unit.not_in_force": "đơn vị mã “{code}” không còn/chưa có hiệu lực ngày {on}: {versions_text}.",
    "unit.ambiguous": "mã “{code}” ứng với nhiều cấp ({levels_text}).",
    "unit.name_missing": "chưa ghi tên.",
    "unit.not_empty": "{field} {code} đã có thôn/địa bàn; dữ liệu mẫu cần xã chưa có dữ liệu.",
    "search.empty": "nhập tên, số CCCD hoặc mã BHYT để tìm.",
    "demo.too_small": "số người phải từ 1 trở lên (đang ghi {value}).",
}


def _fmt(v: Any) -> Any:
    return format_date(v) if isinstance(v, dt.date) else v


def word(p: Problem) -> str:
    """One problem as a Vietnamese sentence naming the record and the field."""
    params = {k: _fmt(v) for k, v in p.params.items()}
    if "versions" in params:
        params["versions_text"] = "; ".join(
            f"{n} ({format_date(f) or '…'} – {format_date(t) or 'nay'})" for n, f, t in params["versions"])
    if "levels" in params:
        params["levels_text"] = ", ".join(params["levels"])
    template = TEMPLATES.get(p.code, p.code + " {params}")
    text = template.format(field=FIELDS.get(p.field, p.field), params=params, **params)
    prefix = f"{p.record}: " if p.record else ""
    return prefix + text[:1].upper() + text[1:] if not prefix else prefix + text
