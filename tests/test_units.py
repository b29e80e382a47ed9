"""Administrative units: complete loading of both eras, the old → new mapping, the hierarchy on a date,
villages and collaborator areas, unknown codes."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from danso.domain.problems import InvalidInput, NotFound
from danso.domain.units import LEGACY_LAST_DAY, REFORM_DATE, Level
from danso.messages_vi import word
from danso.services.units import add_area, add_village, load_official_units, show_unit, unit_tree
from danso.storage.tables import unit_lineage, units
from factories import make_area

BEFORE = LEGACY_LAST_DAY
AFTER = REFORM_DATE


@pytest.fixture
def db(read_only_ctx):
    """The module's shared database, for the tests that only read (the others take ``ctx``, a fresh one)."""
    return read_only_ctx


def unit_counts(ctx, on: dt.date) -> Counter:
    """Units in force on a date, by level (read straight from the table)."""
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(units.c.level, func.count())
            .where((units.c.valid_from.is_(None)) | (units.c.valid_from <= on))
            .where((units.c.valid_to.is_(None)) | (units.c.valid_to >= on))
            .group_by(units.c.level)).all()
    return Counter(dict(rows))


def test_since_the_reform_there_are_34_provinces_and_3321_communes_and_no_district(db):
    assert unit_counts(db, AFTER) == Counter({"nation": 1, "province": 34, "commune": 3_321})
    assert unit_counts(db, dt.date(2026, 6, 1)) == unit_counts(db, AFTER)


def test_before_the_reform_there_are_63_provinces_696_districts_and_10035_communes(db):
    assert unit_counts(db, BEFORE) == Counter({"nation": 1, "province": 63, "district": 696, "commune": 10_035})
    assert unit_counts(db, dt.date(2000, 1, 1)) == unit_counts(db, BEFORE)


def test_the_tree_of_the_nation_lists_every_province_of_the_day(db):
    after, _ = unit_tree(db, "VN", AFTER, depth=1)
    before, _ = unit_tree(db, "VN", BEFORE, depth=1)
    assert len(after.children) == 34 and len(before.children) == 63
    assert sum(c.child_count for c in after.children) == 3_321
    assert sum(c.child_count for c in before.children) == 696


def test_loading_the_official_units_again_changes_nothing(db):
    with db.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(units)).scalar_one()
    report = load_official_units(db)
    assert not report.loaded
    assert report.counts == {"province (mới)": 34, "commune (mới)": 3_321, "province (cũ)": 63,
                             "district (cũ)": 696, "commune (cũ)": 10_035}
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(units)).scalar_one() == before


def test_every_old_commune_and_province_is_mapped_to_a_new_one_and_every_split_has_one_default(db):
    with db.engine.connect() as conn:
        old = {r.id: (r.code, r.level) for r in conn.execute(
            select(units.c.id, units.c.code, units.c.level).where(units.c.valid_to == LEGACY_LAST_DAY))}
        new = {r.id: (r.code, r.level) for r in conn.execute(
            select(units.c.id, units.c.code, units.c.level).where(units.c.valid_from == REFORM_DATE))}
        lineage = conn.execute(select(unit_lineage)).all()
    targets: dict[int, list] = {}
    for ln in lineage:
        assert ln.source_id in old and ln.target_id in new
        assert old[ln.source_id][1] == new[ln.target_id][1] or old[ln.source_id][1] == "district"
        assert ln.effective == REFORM_DATE
        targets.setdefault(ln.source_id, []).append(ln)
    old_communes = [i for i, (_, level) in old.items() if level == "commune"]
    old_provinces = [i for i, (_, level) in old.items() if level == "province"]
    assert len(old_communes) == 10_035
    unmapped = [old[i][0] for i in old_communes + old_provinces if i not in targets]
    assert unmapped == []
    for i in old_communes + old_provinces:
        kinds = {ln.kind for ln in targets[i]}
        if kinds == {"merged"}:
            assert len(targets[i]) == 1, old[i]
        else:
            assert kinds == {"split"} and len(targets[i]) >= 2, old[i]
            assert sum(ln.is_default for ln in targets[i]) == 1, old[i]
    splits = sum(1 for i in old_communes if targets[i][0].kind == "split")
    assert splits > 100  # the official conversion divides a few hundred communes
    # and every new commune was formed from at least one old unit
    formed = {ln.target_id for ln in lineage}
    assert [new[i][0] for i in new if new[i][1] == "commune" and i not in formed] == []


def test_the_five_island_districts_without_communes_became_special_zones(db):
    for district, zone in (("318", "Đặc khu Bạch Long Vĩ"), ("471", "Đặc khu Cồn Cỏ"),
                           ("498", "Đặc khu Hoàng Sa"), ("536", "Đặc khu Lý Sơn"), ("755", "Đặc khu Côn Đảo")):
        [view] = show_unit(db, district)
        assert view.unit.level == Level.DISTRICT and view.children == 0
        assert [(s.name, kind) for s, kind, _ in view.successors] == [(zone, "merged")]


def test_show_gives_both_versions_of_a_code_reused_after_the_reform_with_their_parents_and_lineage(db):
    old, new = show_unit(db, "11602")
    assert (old.unit.name, old.unit.valid_from, old.unit.valid_to) == ("Phường An Hồng", None, BEFORE)
    assert [(p.code, p.level, t) for p, _, t in old.parents] == [("303", Level.DISTRICT, BEFORE)]
    assert [(s.code, s.name, kind) for s, kind, _ in old.successors] == [("11602", "Phường Hồng An", "merged")]
    assert (new.unit.name, new.unit.valid_from, new.unit.valid_to) == ("Phường Hồng An", AFTER, None)
    assert [(p.code, p.level, f) for p, f, _ in new.parents] == [("31", Level.PROVINCE, AFTER)]
    assert {p.name: kind for p, kind, _ in new.predecessors} == {
        "Phường An Hồng": "merged", "Phường Quán Toan": "merged", "Phường Lê Thiện": "split",
        "Phường Đại Bản": "split", "Phường Tân Tiến": "split", "Phường An Hưng": "split"}


def test_a_split_commune_names_the_default_new_commune_among_several(db):
    [view] = show_unit(db, "11584")  # Phường Lê Thiện, divided in 2025
    assert view.unit.valid_to == BEFORE
    assert len(view.successors) >= 2 and {k for _, k, _ in view.successors} == {"split"}
    assert sum(d for _, _, d in view.successors) == 1


def test_the_tree_on_a_date_follows_the_hierarchy_in_force_that_day(db):
    before, before_up = unit_tree(db, "11602", BEFORE, depth=0)
    assert before.unit.name == "Phường An Hồng"
    assert [(a.code, a.name) for a in before_up] == [("303", "Quận Hồng Bàng"), ("31", "Thành phố Hải Phòng"),
                                                    ("VN", "Việt Nam")]
    after, after_up = unit_tree(db, "11602", AFTER, depth=0)
    assert after.unit.name == "Phường Hồng An"
    assert [a.code for a in after_up] == ["31", "VN"]
    hp_before, _ = unit_tree(db, "31", BEFORE, depth=1)
    hp_after, _ = unit_tree(db, "31", AFTER, depth=1)
    assert {c.unit.level for c in hp_before.children} == {Level.DISTRICT}
    assert {c.unit.level for c in hp_after.children} == {Level.COMMUNE}
    assert len(hp_after.children) == 114


def test_a_code_asked_for_on_a_day_it_was_not_in_force_is_refused_listing_its_versions(db):
    with pytest.raises(InvalidInput) as e:
        unit_tree(db, "303", AFTER)
    [p] = e.value.problems
    assert p.code == "unit.not_in_force"
    assert word(p) == ("303: đơn vị mã “303” không còn/chưa có hiệu lực ngày 01/07/2025: "
                       "Quận Hồng Bàng (… – 30/06/2025).")


def test_without_a_date_the_tree_of_a_former_unit_shows_its_last_day(db):
    node, ancestors = unit_tree(db, "303")
    assert node.unit.name == "Quận Hồng Bàng" and len(node.children) == 10
    assert [a.code for a in ancestors] == ["31", "VN"]


def test_a_village_with_its_former_commune_hangs_under_the_old_tiers_before_the_reform_and_the_new_after(ctx):
    village = add_village(ctx, "11602", "Tổ dân phố Số 5", "Tổ dân phố", legacy_commune_code="11296")
    assert village.code == "11602-001" and village.level == Level.VILLAGE
    area = add_area(ctx, village.code, "Địa bàn 1")
    assert area.code == "11602-001-01" and area.level == Level.AREA
    _, before = unit_tree(ctx, area.code, BEFORE, depth=0)
    assert [a.code for a in before] == ["11602-001", "11296", "303", "31", "VN"]
    assert before[1].name == "Phường Quán Toan"
    _, after = unit_tree(ctx, area.code, AFTER, depth=0)
    assert [(a.code, a.name) for a in after[:2]] == [("11602-001", "Tổ dân phố Số 5"), ("11602", "Phường Hồng An")]
    legacy, _ = unit_tree(ctx, "11296", BEFORE, depth=1)
    assert "11602-001" in [c.unit.code for c in legacy.children]
    new, _ = unit_tree(ctx, "11602", AFTER, depth=2)
    assert [(c.unit.code, [g.unit.code for g in c.children]) for c in new.children] == [
        ("11602-001", ["11602-001-01"])]
    [view] = show_unit(ctx, "11602-001")
    assert [(p.code, f, t) for p, f, t in view.parents] == [("11296", None, BEFORE), ("11602", AFTER, None)]


def test_a_village_may_claim_only_a_former_commune_merged_or_split_into_its_commune(ctx):
    split = add_village(ctx, "11602", "Thôn Lê Thiện", legacy_commune_code="11584")  # partly went into 11602
    assert [p.code for p in unit_tree(ctx, split.code, BEFORE, depth=0)[1]][:2] == ["11584", "312"]
    with pytest.raises(InvalidInput) as e:
        add_village(ctx, "11602", "Thôn Phúc Xá", legacy_commune_code="00001")  # Phường Phúc Xá, Hà Nội
    [p] = e.value.problems
    assert (p.code, p.field, p.record) == ("unit.not_predecessor", "legacy_commune", "00001")
    assert word(p) == ("00001: Xã/phường cũ (trước 01/07/2025) Phường Phúc Xá (mã 00001) không được sáp nhập "
                       "hay chia vào Phường Hồng An; xem `danso units show 11602`.")
    assert [c.unit.code for c in unit_tree(ctx, "11602", AFTER, depth=1)[0].children] == [split.code]


def test_villages_and_areas_are_numbered_within_their_commune_and_village(ctx):
    a1 = make_area(ctx, "11602", village="Thôn Một")
    a2 = make_area(ctx, "11602", village="Thôn Hai")
    a3 = add_area(ctx, "11602-002", "Địa bàn 2")
    assert (a1, a2, a3.code) == ("11602-001-01", "11602-002-01", "11602-002-02")
    other = make_area(ctx, "10507")
    assert other == "10507-001-01"


def test_a_village_cannot_be_created_in_a_commune_that_no_longer_exists_or_never_existed(ctx):
    with pytest.raises(InvalidInput) as e:
        add_village(ctx, "11296", "Thôn Mới")  # Phường Quán Toan, merged in 2025
    assert [p.code for p in e.value.problems] == ["unit.not_in_force"]
    with pytest.raises(InvalidInput) as e:
        add_village(ctx, "99999", "Thôn Mới")
    [p] = e.value.problems
    assert (p.code, p.field) == ("unit.unknown", "commune")
    assert word(p) == "99999: không có đơn vị hành chính mã “99999”; xem `danso units tree VN`."
    with pytest.raises(InvalidInput) as e:
        add_village(ctx, "11602", "Thôn Mới", legacy_commune_code="99999")
    assert [(p.code, p.field) for p in e.value.problems] == [("unit.unknown", "legacy_commune")]
    with pytest.raises(InvalidInput) as e:
        add_village(ctx, "31", "Thôn Mới")  # a province, not a commune
    assert [p.code for p in e.value.problems] == ["unit.unknown"]
    with pytest.raises(InvalidInput) as e:
        add_village(ctx, "11602", "   ")
    assert [p.code for p in e.value.problems] == ["unit.name_missing"]
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(units).where(units.c.source == "danso")).scalar_one() == 1


def test_an_area_needs_an_existing_village(ctx):
    with pytest.raises(InvalidInput) as e:
        add_area(ctx, "11602-009", "Địa bàn 1")
    [p] = e.value.problems
    assert (p.code, p.field) == ("unit.unknown", "village")
    assert "không có đơn vị hành chính mã “11602-009”" in word(p)


def test_unknown_codes_are_refused(db):
    with pytest.raises(NotFound):
        show_unit(db, "00000")
    with pytest.raises(InvalidInput) as e:
        unit_tree(db, "00000")
    assert [(p.code, p.params["code"]) for p in e.value.problems] == [("unit.unknown", "00000")]


@pytest.mark.parametrize("code", ["31", "10507", "nowhere"])
def test_the_units_under_a_root_written_as_values_are_those_of_the_recursive_query(ctx, code):  # noqa: ANN001
    import datetime as dt

    from sqlalchemy import text

    from danso.services.units import resolve
    from danso.storage.units_repo import SUBTREE_SQL, with_subtree

    on = dt.date(2026, 1, 1)
    with ctx.engine.connect() as conn:
        root = resolve(conn, code, on).id if code != "nowhere" else -1
        tail = "SELECT id, level, commune_id FROM subtree ORDER BY id"
        recursive = conn.execute(text(SUBTREE_SQL + tail), {"root": root, "on": on}).all()
        listed = conn.execute(text(with_subtree(conn, SUBTREE_SQL, root, on) + tail)).all()
    assert [tuple(r) for r in listed] == [tuple(r) for r in recursive]
    assert (len(listed) > 100) == (code == "31") and (code != "nowhere") == bool(listed)
