"""Vietnamese names for the synthetic population: family, middle and given names with weights.

Written for danso (no external name data). Family-name shares follow demography.md §4.1 (Nguyễn ≈ 37 %,
Trần, Lê, Phạm …; Hoàng/Vũ are the northern forms, Huỳnh/Võ the southern). Middle and given names are common
forms; the weights are judgement, shaped after the shares in demography.md §4.2: women "Thị" and men "Văn"
are frequent in older cohorts and rarer among the young, and given names shift from traditional (Lan, Hoa,
Hùng, Dũng) to modern ones (Linh, Nhi, Khang, Bảo). Every string is NFC.
"""
from __future__ import annotations

import unicodedata

from danso.domain.vntext import fold

# -- family names --------------------------------------------------------------------------------------------
# name, weight (per 10,000) in the north; the southern table swaps the regional forms.
_SURNAMES_NORTH = """
Nguyễn 3700, Trần 1150, Lê 950, Phạm 700, Hoàng 480, Vũ 380, Phan 300, Đặng 210, Bùi 200, Đỗ 190, Ngô 130,
Hồ 100, Dương 100, Đào 90, Đinh 90, Lý 50, Mai 60, Trịnh 60, Lương 50, Đoàn 50, Lưu 40, Cao 40, Tạ 30,
Vương 25, Chu 25, Tô 25, Hà 40, Lại 20, Phùng 25, Kiều 15, Nghiêm 10, Tăng 10, Lâm 20, Quách 15, Thái 15,
Triệu 15, Mạc 10, Đồng 10, Khúc 8, Tống 12, Văn 10, Từ 10, Huỳnh 20, Võ 20, Âu 5, Hứa 8, Giang 8, Doãn 8,
Nông 8, La 8, Khổng 5, Ninh 8, Tiêu 5, Phí 8, Bạch 5, Lục 5, Thân 10, Trương 60, Đàm 15, Lã 8
"""
_SOUTH_SWAP = {"Hoàng": ("Huỳnh", 0.85), "Vũ": ("Võ", 0.85)}


def _pairs(text: str) -> list[tuple[str, float]]:
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if item:
            name, weight = item.rsplit(" ", 1)
            out.append((nfc(name), float(weight)))
    return out


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def surnames(region: str) -> list[tuple[str, float]]:
    """Family names with weights for ``region`` "north" or "south" (the regional forms swapped)."""
    base = _pairs(_SURNAMES_NORTH)
    if region == "north":
        return base
    weights: dict[str, float] = {}
    for name, w in base:
        if name in _SOUTH_SWAP:
            other, share = _SOUTH_SWAP[name]
            weights[other] = weights.get(other, 0.0) + w * share
            w *= 1 - share
        weights[name] = weights.get(name, 0.0) + w
    return list(weights.items())


# Family names of some ethnic minorities (ethnicity code → names); others use the Kinh table.
ETHNIC_SURNAMES = {
    "02": _pairs("Hoàng 30, Nông 20, Lương 10, Triệu 8, Lục 6, Ma 8, Hà 8, Đàm 5, Vi 5"),  # Tày
    "03": _pairs("Lò 25, Lường 20, Cầm 12, Quàng 10, Vi 10, Hà 12, Tòng 6, Lê 5"),  # Thái
    "04": _pairs("Lý 15, Trần 12, Lâm 15, Quách 8, Hứa 8, Lưu 8, Mã 6, Hoàng 8, Trương 8, Tăng 6"),  # Hoa
    "05": _pairs("Thạch 25, Sơn 20, Danh 18, Kim 12, Lâm 8, Chau 10, Lý 6"),  # Khơ-me
    "06": _pairs("Bùi 35, Đinh 25, Quách 12, Hà 12, Phạm 8, Xa 4"),  # Mường
    "07": _pairs("Hoàng 25, Nông 20, Lăng 10, Vi 10, Lương 10, Triệu 8, Mã 6"),  # Nùng
    "08": _pairs("Giàng 20, Vàng 18, Sùng 15, Thào 12, Lý 10, Hầu 8, Mùa 8, Lầu 6, Hạng 5"),  # Mông
    "09": _pairs("Triệu 30, Bàn 25, Đặng 15, Lý 15, Chảo 8, Phùng 5"),  # Dao
    "17": _pairs("Thành 15, Đàng 15, Lưu 10, Châu 10, Đạo 10, Quảng 10, Thông 8"),  # Chăm
}

# -- middle names ----------------------------------------------------------------------------------------------
# Share of the traditional middle name (women "Thị", men "Văn") by birth cohort: <1960, 1960–79, 1980–94, 1995+.
THI_SHARE = (0.62, 0.55, 0.40, 0.22)
VAN_SHARE = (0.48, 0.40, 0.26, 0.12)
# Among women's "Thị" names, the share written "Thị X" + a second middle word ("Nguyễn Thị Thu Hà").
THI_COMPOUND = _pairs("Thị 80, Thị Thu 5, Thị Thanh 4, Thị Ngọc 3, Thị Kim 3, Thị Hồng 2, Thị Minh 2, Thị Bích 1")

FEMALE_MIDDLE = _pairs("""
Ngọc 12, Thu 7, Thanh 7, Hồng 5, Phương 5, Minh 5, Kim 5, Thùy 5, Thúy 3, Bảo 5, Khánh 4, Mai 3, Hà 3,
Diệu 2, Quỳnh 3, Tuyết 2, Hoài 2, Hải 3, Mỹ 3, Bích 2, Lan 2, Xuân 2, Cẩm 2, Như 2, Ánh 2, Gia 3, Tường 1,
Yến 1, Vân 2, Hương 2, Thảo 2, Huyền 1, Tú 1, Trà 1, Linh 2, Hoàng 2, Diễm 1, Kiều 1, Nhã 1, An 2
""")
MALE_MIDDLE = _pairs("""
Minh 9, Đức 8, Ngọc 5, Hoàng 6, Quang 6, Thanh 6, Xuân 5, Quốc 5, Đình 5, Hữu 5, Công 4, Mạnh 3, Tiến 3,
Trọng 3, Duy 4, Gia 4, Bảo 4, Anh 3, Tuấn 3, Thành 3, Hải 2, Việt 3, Trung 3, Đăng 3, Nhật 2, Khắc 2, Thế 3,
Hồng 2, Phú 2, Tấn 2, Chí 2, Kim 1, Huy 2, Bá 2, Sỹ 1, Như 1, Quý 1, Khánh 2, Ngọc Bảo 1, Hoài 1, Vĩnh 1
""")

# -- given names: name, weight among older cohorts (born before ~1985), weight among younger ones --------------
FEMALE_GIVEN = [(nfc(n), float(a), float(b)) for n, a, b in (x.split() for x in """
Lan 30 6|Hoa 30 5|Hương 30 14|Mai 25 10|Hồng 25 4|Thủy 22 5|Nga 20 4|Hằng 22 12|Loan 15 3|Liên 15 3
Tuyết 12 2|Hạnh 18 6|Hiền 18 8|Dung 18 5|Yến 15 8|Oanh 12 4|Thơm 10 1|Nhung 15 5|Vân 15 6|Thu 18 5
Giang 8 12|Quỳnh 6 14|Vy 1 18|Chi 3 16|An 2 16|Hân 1 14|My 3 15|Châu 4 8|Diệp 2 5|Uyên 4 12
Trâm 4 10|Thư 4 16|Trinh 6 6|Nhàn 10 2|Lụa 8 1|Xuân 12 3|Đào 8 2|Cúc 10 1|Huệ 12 3|Lý 8 3
Lệ 8 2|Kim 6 3|Tâm 8 6|Thoa 10 2|Thúy 15 4|Thắm 10 2|Tươi 8 1|Sen 8 1|Bích 10 3|Nguyệt 10 4
Hậu 8 3|Duyên 10 8|Phượng 12 4|Ly 4 12|Khánh 3 10|Diệu 2 6|Như 4 12|Hòa 10 3|Gấm 6 1|Nụ 6 1
Hường 10 3|Thanh 15 5|Ánh 8 10|Mơ 6 1|Lành 6 1|Quyên 6 6|Vi 2 8|Thi 3 6|Ngà 6 3|Tuyền 4 5
Anh 10 40|Linh 8 40|Trang 12 30|Phương 12 22|Thảo 10 20|Nhi 2 22|Ngọc 10 17|Ngân 6 17|Huyền 14 15|Hà 15 12
""".replace("\n", "|").split("|") if x.strip())]
MALE_GIVEN = [(nfc(n), float(a), float(b)) for n, a, b in (x.split() for x in """
Hùng 30 8|Dũng 28 8|Tuấn 25 15|Hải 22 10|Sơn 25 15|Nam 18 17|Thắng 22 8|Minh 15 14|Long 18 12|Quang 15 8
Trung 18 10|Thành 20 10|Tùng 15 10|Phong 12 10|Bình 18 6|Cường 20 8|Khánh 8 12|Hưng 15 10|Hiệp 10 4|Lâm 8 10
Phúc 8 14|Toàn 12 6|Tiến 15 6|Vinh 12 8|Quân 8 14|Hòa 15 4|Tâm 10 6|Thịnh 10 8|Tài 10 6|Nghĩa 15 6
Lợi 10 3|Kiên 10 8|Thanh 20 5|Việt 10 10|Bảo 3 16|Khang 1 16|Khoa 4 14|Khôi 1 14|Kiệt 2 10|Lộc 8 10
Nhân 6 8|Phát 3 12|Quý 10 4|Sáng 8 2|Tân 12 4|Thái 8 6|Thiện 6 8|Thông 10 4|Tín 4 6|Trí 4 12
Trọng 8 5|Tú 8 8|Vũ 6 12|Vương 4 6|Hậu 8 5|Chiến 15 4|Công 10 3|Dương 6 10|Định 10 2|Hiển 6 3
Hoan 8 1|Mạnh 12 8|Nguyên 4 10|Ninh 8 3|Quyết 10 4|Thuận 10 4|Thường 8 1|Tuyên 6 2|Xuân 10 2|Chính 10 2
Lực 8 2|Đông 8 4|An 4 12|Nhật 2 10|Đăng 2 10|Anh 12 30|Huy 8 24|Đức 20 18|Duy 6 18|Hiếu 8 18
Hoàng 8 16|Đạt 6 20|Phương 6 3|Hà 8 1|Giang 6 4|Sỹ 6 2|Bắc 6 1|Trường 10 6|Hạnh 4 1|Tường 4 3
""".replace("\n", "|").split("|") if x.strip())]


def folded(pairs: list[tuple[str, float]]) -> list[tuple[tuple[str, str], float]]:
    """Attach each name's folded form (the search key) so the generator never folds in its hot loop."""
    return [((name, fold(name)), w) for name, w in pairs]


def given_weights(sex: str, cohort: int) -> list[tuple[str, float]]:
    """Given names for sex "1"/"2" and cohort 0–3 (<1960, 1960–79, 1980–94, 1995+)."""
    table = MALE_GIVEN if sex == "1" else FEMALE_GIVEN
    young = (0.0, 0.15, 0.6, 1.0)[cohort]
    return [(name, old * (1 - young) + new * young) for name, old, new in table]


def middle_weights(sex: str, cohort: int) -> list[tuple[str, float]]:
    """Middle names (possibly two words) for sex and cohort, the traditional one included at its share."""
    if sex == "1":
        share, traditional, others = VAN_SHARE[cohort], [("Văn", 1.0)], MALE_MIDDLE
    else:
        share, traditional, others = THI_SHARE[cohort], THI_COMPOUND, FEMALE_MIDDLE
    t_total = sum(w for _, w in traditional)
    o_total = sum(w for _, w in others)
    return ([(n, share * w / t_total) for n, w in traditional]
            + [(n, (1 - share) * w / o_total) for n, w in others])

# -- addresses ------------------------------------------------------------------------------------------------
STREETS = [nfc(s.strip()) for s in """
Lê Lợi, Trần Hưng Đạo, Nguyễn Trãi, Lý Thường Kiệt, Hai Bà Trưng, Quang Trung, Lê Thánh Tông, Điện Biên Phủ,
Hoàng Văn Thụ, Trần Phú, Ngô Quyền, Lạch Tray, Tô Hiệu, Lê Hồng Phong, Nguyễn Văn Linh, Phan Bội Châu,
Phan Chu Trinh, Nguyễn Du, Bạch Đằng, Lê Duẩn, Võ Nguyên Giáp, Nguyễn Đức Cảnh, Cầu Đất, Văn Cao, Minh Khai,
Trần Quang Khải, Lê Lai, Hùng Vương, Nguyễn Huệ, Chu Văn An, Tôn Đức Thắng, Nguyễn Thị Minh Khai, Lý Tự Trọng,
Hàng Kênh, Trần Nguyên Hãn, Đinh Tiên Hoàng, Lê Đại Hành, Nguyễn Bỉnh Khiêm, Trần Khánh Dư, Phạm Ngũ Lão,
Lý Thái Tổ, Hoàng Diệu, Mạc Đăng Doanh, Nguyễn Công Trứ, Kim Đồng, Võ Thị Sáu, Nguyễn Khuyến, Cù Chính Lan,
Hồ Tùng Mậu, Tôn Thất Thuyết, Hoàng Quốc Việt, Trường Chinh, Ngô Gia Tự, Lạc Long Quân, Âu Cơ, Yết Kiêu,
Dã Tượng, Lê Quý Đôn, Nguyễn Tri Phương, Hàn Thuyên, Trần Nhân Tông, Lương Khánh Thiện, Đà Nẵng, Thiên Lôi
""".replace("\n", " ").split(",") if s.strip()]
HAMLETS = [nfc(s.strip()) for s in """
Đông, Tây, Nam, Bắc, Trại, Chợ, Giữa, Trong, Ngoài, Mới, Đình, Đồng, Bến, Cầu, Thượng, Hạ, Gò, Bãi, Chùa, Miếu,
Cống, Đầm, Vườn, Núi, Sông, Trên, Dưới, Đìa, Quán, Rừng
""".replace("\n", " ").split(",") if s.strip()]
