"""Rich renderings of service results."""
from __future__ import annotations

from rich.table import Table

from danso.cli.common import console, fmt_date
from danso.domain import codes
from danso.domain.ages import age_group_label
from danso.services.registry import HouseholdSheet, Summary
from danso.services.units import TreeNode, UnitView

MALE, FEMALE = "1", "2"


def vn_int(v: int) -> str:
    return f"{v:,}".replace(",", ".")  # Vietnamese thousands separator


def vn_dec(v: float, places: int = 1) -> str:
    return f"{v:.{places}f}".replace(".", ",")  # Vietnamese decimal comma


def print_summary(s: Summary) -> None:
    console.print(f"[bold]{s.unit.name}[/] (mã {s.unit.code}) — ngày {fmt_date(s.on)}")
    console.print(f"Hộ dân cư: [bold]{vn_int(s.households)}[/] (hộ gia đình: {vn_int(s.family_households)})   "
                  f"Nhân khẩu thực tế thường trú: [bold]{vn_int(s.persons)}[/] "
                  f"(nam {vn_int(s.by_sex[MALE])}, nữ {vn_int(s.by_sex[FEMALE])})")
    if s.persons:
        console.print(f"Bình quân {vn_dec(s.persons / max(s.households, 1), 2)} người/hộ; "
                      f"tỷ số giới tính {vn_dec(100 * s.by_sex[MALE] / max(s.by_sex[FEMALE], 1))} nam/100 nữ")
    t = Table(title="Dân số theo nhóm tuổi và giới tính", title_justify="left")
    for col in ("Nhóm tuổi", "Nam", "Nữ", "Tổng", "%"):
        t.add_column(col, justify="right")
    for group, by_sex in s.pyramid.items():
        total = by_sex[MALE] + by_sex[FEMALE]
        t.add_row(age_group_label(group), vn_int(by_sex[MALE]), vn_int(by_sex[FEMALE]), vn_int(total),
                  vn_dec(100 * total / max(s.persons, 1)))
    console.print(t)
    if s.communes:
        t = Table(title="Theo xã/phường", title_justify="left")
        for col in ("Mã", "Xã/phường", "Hộ", "Nhân khẩu", "Nam", "Nữ"):
            t.add_column(col, justify="right" if col not in ("Xã/phường",) else "left")
        for unit, hh, n, by_sex in s.communes:
            t.add_row(unit.code, unit.name, vn_int(hh), vn_int(n), vn_int(by_sex[MALE]), vn_int(by_sex[FEMALE]))
        console.print(t)


def print_unit_views(views: list[UnitView]) -> None:
    for v in views:
        u = v.unit
        console.print(f"[bold]{u.name}[/] — mã {u.code}, {u.level.label} ({u.kind}), hiệu lực "
                      f"{fmt_date(u.valid_from, '…')} – {fmt_date(u.valid_to, 'nay')}")
        for p, f, t in v.parents:
            console.print(f"  thuộc: {p.name} (mã {p.code}) từ {fmt_date(f, '…')} đến {fmt_date(t, 'nay')}")
        console.print(f"  đơn vị trực thuộc: {v.children}")
        for s, kind, default in v.successors:
            what = "sáp nhập vào" if kind == "merged" else "chia một phần vào"
            console.print(f"  {what}: {s.name} (mã {s.code})" + (" — đơn vị nhận mặc định" if kind == "split"
                                                                  and default else ""))
        for p, kind, _ in v.predecessors:
            what = "hình thành từ" if kind == "merged" else "nhận một phần của"
            console.print(f"  {what}: {p.name} (mã {p.code})")
        source = f"  nguồn: {u.source}"
        console.print(source, style="dim")


def print_tree(node: TreeNode, ancestors: list, indent: int = 0) -> None:
    if indent == 0 and ancestors:
        console.print(" › ".join(f"{a.name}" for a in reversed(ancestors)), style="dim")
    u = node.unit
    more = f" [dim]({node.child_count} đơn vị trực thuộc)[/]" if node.child_count else ""
    console.print("  " * indent + f"{u.code}  {u.name}" + more)
    for child in node.children:
        print_tree(child, [], indent + 1)


def print_household(sheet: HouseholdSheet) -> None:
    h = sheet.household
    place = ", ".join(u.name for u in [sheet.area, *sheet.hierarchy] if u.level.value != "nation")
    address = ", ".join(x for x in (f"số {h.house_no}" if h.house_no else "", h.sub_lane and f"hẻm {h.sub_lane}",
                                    h.lane and f"ngách {h.lane}", h.alley and f"ngõ {h.alley}",
                                    h.street, h.hamlet and f"xóm {h.hamlet}") if x)
    console.print(f"[bold]Hộ số {h.number}[/] (mã hộ {h.id}, {codes.code_list(codes.HOUSEHOLD_KIND).label(h.kind)})"
                  f" — {address or 'chưa ghi địa chỉ'}; {place}")
    console.print(f"Lập hộ: {fmt_date(h.established_on)}; tình trạng: "
                  + ("đang hoạt động" if h.status == "active" else f"đã giải thể {fmt_date(h.dissolved_on)}"))
    t = Table(title="I. Thông tin cơ bản của hộ", title_justify="left")
    for col in ("TT", "Mã thẻ BHYT", "Họ và tên", "Quan hệ", "GT", "Ngày sinh", "Dân tộc", "Học vấn",
                "Hôn nhân", "Cư trú", "CCCD"):
        t.add_column(col)
    for i, m in enumerate(sheet.members, start=1):
        p = m.person
        born = (f"{p.birth_day:02d}/{p.birth_month:02d}/{p.birth_year}" if p.birth_month and p.birth_day
                else str(p.birth_year))
        t.add_row(str(i), p.bhyt or "", p.full_name, codes.code_list(codes.RELATION).label(m.relation),
                  "Nam" if p.sex == MALE else "Nữ", born, codes.code_list(codes.ETHNICITY).label(p.ethnicity),
                  codes.code_list(codes.EDUCATION).label(p.education),
                  codes.code_list(codes.MARITAL).label(p.marital),
                  codes.code_list(codes.RESIDENCE).label(m.residence), p.cccd or "")
    console.print(t)
    women = [m for m in sheet.members if m.contraception or m.reproductive or m.pregnancies]
    if women:
        t = Table(title="II. Theo dõi sử dụng BPTT (phụ nữ 15–49 có chồng)", title_justify="left")
        for col in ("Họ và tên", "Năm sinh", "BPTT đang dùng", "Từ ngày", "Con trai", "Con gái", "Mang thai"):
            t.add_column(col)
        for m in women:
            current = [u for u in m.contraception if u.end_date is None]
            method = codes.code_list(codes.CONTRACEPTIVE_METHOD).label(current[-1].method) if current else "—"
            r = m.reproductive
            t.add_row(m.person.full_name, str(m.person.birth_year), method,
                      fmt_date(current[-1].start_date) if current else "", str(r.living_sons) if r else "",
                      str(r.living_daughters) if r else "", "có" if m.pregnant else "không")
        console.print(t)
    if sheet.past_members:
        console.print("[bold]Lịch sử thành viên[/]")
        for m in sheet.past_members:
            console.print(f"  {m.person.full_name}: ở hộ từ {fmt_date(m.valid_from)} đến {fmt_date(m.valid_to, 'nay')}")
