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
    "date": "Ngày xảy ra", "person": "Người", "household": "Hộ", "client_id": "Mã phiếu của máy nhập",
    "month": "Tháng báo cáo", "data": "Nội dung phiếu", "place": "Nơi thực hiện", "birth_order": "Là con thứ",
    "origin": "Nơi chuyển đi", "destination": "Nơi chuyển đến", "to_household": "Hộ chuyển đến",
    "spouse": "Vợ/chồng", "new_head": "Chủ hộ mới", "old_head_relation": "Quan hệ mới của chủ hộ cũ",
    "method": "Biện pháp tránh thai", "reason": "Lý do", "event": "Sự kiện", "week": "Tuần thai",
    "conditions": "Bệnh được sàng lọc", "results": "Kết quả sàng lọc", "merged_household": "Hộ nhập vào",
    "status": "Trạng thái", "cause": "Nguyên nhân chết", "file": "Tệp", "into": "Cơ sở dữ liệu đích",
    "event_id": "Sự kiện",
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
    "person.registered_elsewhere": "{field} này đã thuộc một người khác trong sổ, ở xã/phường khác; kiểm tra lại số.",
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
    "unit.not_predecessor": "{field} {name} (mã {code}) không được sáp nhập hay chia vào {commune}; "
                            "xem `danso units show {commune_code}`.",
    "unit.not_empty": "{field} {code} đã có thôn/địa bàn; dữ liệu mẫu cần xã chưa có dữ liệu.",
    "search.empty": "nhập tên, số CCCD hoặc mã BHYT để tìm.",
    "slip.kind_unknown": "loại phiếu “{value}” không có; các loại phiếu: {kinds}.",
    "slip.client_id": "thiếu mã phiếu do máy nhập tạo (client_id, tối đa 64 ký tự).",
    "slip.client_id_reused": "mã phiếu “{value}” đã dùng cho một phiếu khác có nội dung khác; mỗi phiếu một mã.",
    "slip.month": "tháng báo cáo “{value}” không đúng dạng YYYY-MM (ví dụ 2026-10).",
    "slip.person_ref": "{field} “{value}” phải là mã người trong sổ, số CCCD (12 số) hoặc mã thẻ BHYT (15 ký tự).",
    "slip.person_unknown": "không tìm thấy {field} “{value}” trong sổ; kiểm tra mã người, số CCCD hoặc mã BHYT.",
    "slip.household_unknown": "không có {field} mã {value} trong sổ.",
    "slip.results_shape": "{field} phải ghi theo dạng mã bệnh = mã kết quả (ví dụ 1=1;2=1), đang ghi “{value}”.",
    "slip.nothing_changed": "phiếu thay đổi thông tin chưa ghi thông tin mới nào.",
    "slip.bad_status": "không thể {action} phiếu đang ở trạng thái “{status}”.",
    "slip.reason_missing": "phải ghi lý do.",
    "slip.status_unknown": "trạng thái “{value}” không có (draft, submitted, accepted, returned, rejected).",
    "slip.before_birth": "{field} {value} trước ngày sinh của {name}; kiểm tra lại ngày.",
    "slip.before_membership": "{field} {value} trước ngày {name} vào hộ hiện tại ({since}); ghi các thay đổi theo "
                              "đúng thứ tự ngày (hủy thay đổi sau nếu cần).",
    "slip.before_current": "{field} {value} trước ngày bắt đầu {what} hiện tại của {name} ({since}); ghi các thay "
                           "đổi theo đúng thứ tự ngày (hủy thay đổi sau nếu cần).",
    "slip.person_dead": "{name} đã chết ngày {died}; không thể ghi sự kiện sau ngày đó.",
    "slip.person_not_in_commune": "{name} không thuộc xã/phường của phiếu này.",
    "slip.household_not_in_commune": "hộ số {number} không thuộc xã/phường của phiếu này.",
    "slip.household_dissolved": "hộ số {number} đã bị xóa khỏi sổ.",
    "slip.duplicate": "có thể trùng: sự kiện này của cùng người, cùng ngày đã được ghi ({other}); xác nhận nếu đúng là "
                      "hai sự kiện khác nhau.",
    "slip.late": "tháng {month} của xã đã khóa sổ (báo cáo đã duyệt); phiếu được ghi là nộp muộn.",
    "death.already_dead": "{name} đã được ghi là chết ngày {died}; không ghi chết lần thứ hai.",
    "birth.mother_not_female": "người được ghi là mẹ ({name}) không phải nữ; kiểm tra mã người mẹ.",
    "birth.mother_not_resident": "mẹ ({name}) không phải nhân khẩu thực tế thường trú của xã vào ngày sinh; trẻ của "
                                 "người tạm trú không ghi ở đây.",
    "birth.mother_age_impossible": "mẹ ({name}) {age} tuổi khi sinh: ngoài khoảng 12–55 tuổi; kiểm tra ngày sinh của "
                                   "mẹ và của trẻ.",
    "birth.mother_age_unusual": "mẹ ({name}) {age} tuổi khi sinh (ngoài 15–49); xác nhận nếu đúng.",
    "birth.order_range": "{field} “{value}” phải từ 1 đến 20.",
    "birth.order_too_low": "{field} {order} nhưng {name} đã có {known} con trong sổ; trẻ này phải là con thứ "
                           "{known} + 1 trở lên.",
    "birth.order_gap": "{field} {order} nhưng sổ mới có {known} con của {name}; xác nhận (có con chưa ghi sổ?).",
    "birth.not_mothers_household": "trẻ được ghi vào hộ số {number}, không phải hộ của mẹ ({name}); xác nhận nếu đúng.",
    "move_out.not_resident": "{name} không phải nhân khẩu thực tế thường trú của hộ nào; không ghi chuyển đi được.",
    "move_in.already_registered": "{name} đang ở hộ mã {household_id} trong sổ; nếu chuyển hộ trong xã, dùng phiếu "
                                  "chuyển hộ.",
    "transfer.no_household": "{name} hiện không ở hộ nào trong sổ.",
    "transfer.same_household": "{name} đang ở hộ số {number} rồi.",
    "contraception.same_method": "{name} đang dùng đúng biện pháp này; xác nhận nếu là lần dùng mới.",
    "contraception.none_to_stop": "{name} không có biện pháp tránh thai nào đang dùng để thôi.",
    "pregnancy.not_eligible": "{name} ({age} tuổi) không thể ghi thai sản: chỉ ghi cho nữ 12–55 tuổi.",
    "pregnancy.already_pregnant": "{name} đang được ghi là mang thai; ghi kết thúc lần mang thai trước đã.",
    "pregnancy.not_pregnant": "{name} không được ghi là đang mang thai; ghi “Mang thai” trước.",
    "prenatal.not_pregnant": "{name} không được ghi là đang mang thai; xác nhận nếu đúng.",
    "prenatal.week": "{field} {value} phải từ 1 đến 42.",
    "elderly.too_young": "{name} mới {age} tuổi; khám sức khỏe định kỳ người cao tuổi chỉ ghi cho người từ 60 tuổi.",
    "newborn.not_newborn": "{name} đã {days} ngày tuổi khi sàng lọc (sơ sinh là ≤ 28 ngày); xác nhận nếu đúng.",
    "marriage.already_married": "{name} đang có vợ/chồng trong sổ.",
    "marriage.same_person": "{field} không thể là chính người đó.",
    "marriage.underage": "{name} mới {age} tuổi: chưa đủ tuổi kết hôn (nam 20, nữ 18); xác nhận nếu đúng.",
    "divorce.not_married": "{name} không được ghi là đang có vợ/chồng.",
    "head.not_member": "{name} không phải thành viên hiện tại của hộ số {number}.",
    "head.already_head": "{name} đã là chủ hộ.",
    "household.has_members": "hộ số {number} vẫn còn {count} người; ghi chuyển đi/chuyển hộ cho họ trước khi xóa hộ.",
    "split.member_outside": "{names} không ở hộ số {number}.",
    "split.everyone": "tách hết mọi người khỏi hộ số {number} thì không phải tách hộ; dùng đổi địa chỉ hoặc lập hộ mới.",
    "merge.same_household": "hộ nhập vào phải khác hộ nhận.",
    "merge.member_outside": "{names} không ở hộ số {number}.",
    "merge.members_missing": "hộ số {number} còn {count} người chưa được ghi trong danh sách nhập hộ.",
    "relocate.other_commune": "địa bàn {value} thuộc xã/phường khác; chuyển sang xã khác là chuyển đi rồi chuyển đến.",
    "event.not_reversible": "sự kiện “{kind}” này không thể hủy.",
    "event.later_events": "đã có sự kiện sau về cùng người/hộ (mã {ids}); hủy các sự kiện đó trước.",
    "slip.integrity": "không ghi được vào sổ vì trùng hoặc mâu thuẫn với dữ liệu đã có ({error}); kiểm tra "
                      "lại phiếu.",
    "slips.file": "không đọc được tệp phiếu: {error}.",
    "slips.not_list": "tệp JSON phải là một đối tượng có danh sách “slips” (xem docs/slips.md).",
    "replay.not_empty": "cơ sở dữ liệu đích đã có dữ liệu; cần một cơ sở dữ liệu trống.",
    "demo.months": "số tháng phiếu phải từ 1 đến 120 (đang ghi {value}).",
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
