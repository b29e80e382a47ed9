"""A slip names only persons and households of its own commune: anyone else is, for that slip, not in the register
— the collaborator or officer entering it learns nothing about them, not even a name in an error message."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from danso.domain.problems import InvalidInput
from danso.messages_vi import word
from danso.storage.tables import persons
from factories import make_area
from slip_factories import Slips, small_register

OTHER_COMMUNE = "10507"


@pytest.fixture
def two(ctx):  # noqa: ANN001, ANN201
    here = small_register(ctx)
    there = small_register(ctx, seed=2, area=make_area(ctx, OTHER_COMMUNE, village="Thôn Hai", area="Địa bàn 2"))
    return here, there


def _refused(call) -> list[str]:  # noqa: ANN001
    with pytest.raises(InvalidInput) as e:
        call()
    return [word(p) for p in e.value.problems]


def _cccd(ctx, person_id: int) -> str:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return conn.execute(select(persons.c.cccd).where(persons.c.id == person_id)).scalar_one()


def test_a_person_of_another_commune_is_not_found_by_id_or_cccd_and_never_named(ctx, two):
    here, there = two
    s = Slips(ctx, here.area)
    stranger = there.families[0].head
    name = there.names[stranger]
    for ref in (stranger, _cccd(ctx, stranger)):
        messages = _refused(lambda ref=ref: s.enter("death", person=ref, date="01/02/2026"))
        shown = ref if isinstance(ref, int) else f"CCCD {ref}"
        assert [m.split(": ", 1)[1] for m in messages] == [
            f"không tìm thấy Người “{shown}” trong sổ; kiểm tra mã người, số CCCD hoặc mã BHYT."]
        assert all(name not in m for m in messages)
    messages = _refused(lambda: s.enter("elderly_checkup", person=there.families[0].children[0], date="01/02/2026"))
    assert "không tìm thấy" in messages[0] and all(there.names[there.families[0].children[0]] not in m
                                                     for m in messages)


def test_a_mother_of_another_commune_cannot_have_a_birth_recorded_here(ctx, two):
    here, there = two
    s = Slips(ctx, here.area)
    mother = there.families[0].wife
    messages = _refused(lambda: s.enter("birth", household=here.families[0].household, mother=mother,
                                        date="01/02/2026", full_name="Trần Văn Bé", sex="1", ethnicity="01",
                                        relation="03", place="1", birth_order=2, confirm=True))
    assert any("không tìm thấy" in m for m in messages) and all(there.names[mother] not in m for m in messages)


def test_a_household_of_another_commune_is_not_found(ctx, two):
    here, there = two
    s = Slips(ctx, here.area)
    messages = _refused(lambda: s.enter("household_dissolve", household=there.families[1].household,
                                        date="01/02/2026"))
    assert [m.split(": ", 1)[1] for m in messages] == [f"không có Hộ mã {there.families[1].household} trong sổ."]


def test_the_dead_and_the_moved_away_of_another_commune_stay_hidden(ctx, two):
    here, there = two
    elsewhere = Slips(ctx, there.area)
    elsewhere.accept("death", person=there.families[0].elder, date="01/02/2026")
    s = Slips(ctx, here.area)
    messages = _refused(lambda: s.enter("death", person=there.families[0].elder, date="03/02/2026"))
    assert "không tìm thấy" in messages[0] and all(there.names[there.families[0].elder] not in m for m in messages)


def test_a_cccd_taken_in_another_commune_is_refused_without_saying_whose(ctx, two):
    here, there = two
    s = Slips(ctx, here.area)
    taken = _cccd(ctx, there.families[0].head)
    messages = _refused(lambda: s.enter("info_change", person=here.families[0].head, date="01/02/2026", cccd=taken))
    assert any("đã thuộc một người khác trong sổ, ở xã/phường khác" in m for m in messages), messages
    assert all(there.names[there.families[0].head] not in m for m in messages)
    # in the slip's own commune the owner is named, as before (the officer knows her commune's people)
    mine = _cccd(ctx, here.families[1].head)
    messages = _refused(lambda: s.enter("info_change", person=here.families[0].head, date="01/02/2026", cccd=mine))
    assert any(here.names[here.families[1].head] in m for m in messages), messages
