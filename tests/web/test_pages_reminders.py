"""The reminders page (/reminders): a collaborator's and a commune officer's lists within their scope, with links
to the household sheet and to a slip form filled in for the person; recording the follow-up takes the person off
the list."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from danso.domain import clock
from danso.domain.reminders import ELDERLY
from danso.services.accounts import principal_for_session
from danso.services.reminders import list_reminders
from danso.storage.tables import households, units
from danso.web.security import SESSION_COOKIE


def me(world, client):  # noqa: ANN001, ANN201
    return principal_for_session(world.ctx, client.cookies.get(SESSION_COOKIE))


def households_linked(text: str) -> set[int]:
    return {int(h) for h in re.findall(r'href="/households/(\d+)"', text)}


def persons_linked(text: str) -> set[int]:
    """Persons named by the slip links of a reminders page."""
    return {int(p) for p in re.findall(r"person=(\d+)", text)}


def test_a_collaborator_sees_her_reminders_grouped_with_their_counts(world, pages_as):
    client = pages_as("ctv")
    home = client.get("/").text
    assert '<a href="/reminders">Nhắc việc</a>' in home
    page = client.get("/reminders")
    assert page.status_code == 200
    result = list_reminders(world.ctx, me(world, client))
    for g in result.groups:
        assert f'id="{g.reminder.code}"' in page.text and g.reminder.title in page.text
        assert f'<span class="rm-count">{g.total}</span>' in page.text.replace(".", "")
        for item in g.items:
            assert html.escape(item.reason, quote=False) in page.text
    elderly = next(g for g in result.groups if g.reminder.code == ELDERLY)
    assert elderly.total > 20 and len(elderly.items) == 20  # the demo records no health checks: a long list
    assert f'href="/reminders?kind={ELDERLY}"' in page.text and f"Xem tất cả {elderly.total}" in page.text
    # every household linked lies in her area
    with world.ctx.engine.connect() as conn:
        areas = {code for (code,) in conn.execute(
            select(units.c.code).join(households, households.c.area_id == units.c.id)
            .where(households.c.id.in_(households_linked(page.text))))}
    assert areas == {world.area}


def test_a_reminder_links_to_a_slip_form_filled_in_and_recording_it_takes_the_person_off(world, pages_as):
    ctv, xa = pages_as("ctv"), pages_as("xa")
    first = list_reminders(world.ctx, me(world, ctv), kind=ELDERLY).groups[0].items[-1]
    page = ctv.get(f"/reminders?kind={ELDERLY}").text
    link = html.unescape(re.search(rf'href="(/slips/new/elderly_checkup\?[^"]*person={first.person_id}[^"]*)"',
                                   page).group(1))
    assert f"area={first.area_code}" in link
    form = ctv.get(link)
    assert form.status_code == 200
    assert f'name="person" value="{first.person_id}"' in form.text
    client_id = re.search(r'name="client_id" value="([^"]+)"', form.text).group(1)
    today = clock.today()
    r = ctv.post("/slips/new/elderly_checkup", data={
        "client_id": client_id, "area": first.area_code, "month": today.strftime("%Y-%m"),
        "person": str(first.person_id), "date": today.strftime("%d/%m/%Y"),
        "csrf_token": ctv.cookies.get("danso_csrf")})
    assert r.status_code == 303, r.text
    slip = int(r.headers["location"].split("/slips/")[1].split("?")[0])
    r = xa.post(f"/slips/{slip}/review", data={"decision": "accept", "csrf_token": xa.cookies.get("danso_csrf")})
    assert r.status_code == 303, r.text
    after = list_reminders(world.ctx, me(world, ctv), kind=ELDERLY, page=1)
    assert first.person_id not in {i.person_id for i in after.groups[0].items}


def test_the_commune_officer_filters_by_village_or_area_and_pages_through_a_kind(world, pages_as):
    client = pages_as("xa")
    page = client.get("/reminders")
    assert page.status_code == 200 and '<select name="unit">' in page.text
    other = client.get(f"/reminders?unit={world.other_area}")
    assert other.status_code == 200
    with world.ctx.engine.connect() as conn:
        linked = households_linked(other.text)
        codes = set(conn.execute(select(units.c.code).join(households, households.c.area_id == units.c.id)
                                 .where(households.c.id.in_(linked))).scalars())
    assert linked and codes == {world.other_area}
    total = list_reminders(world.ctx, me(world, client), kind=ELDERLY).groups[0].total
    assert total > 100  # two collaborator areas of elderly people
    first, second = client.get(f"/reminders?kind={ELDERLY}"), client.get(f"/reminders?kind={ELDERLY}&page=2")
    assert "Trang sau ›" in first.text and "‹ Trang trước" in second.text
    assert f"Trang 2/{-(-total // 100)}" in second.text
    assert len(persons_linked(first.text)) == 100 and persons_linked(first.text).isdisjoint(persons_linked(second.text))
    assert client.get("/reminders?kind=unknown").status_code == 422


def test_reminders_outside_the_scope_are_not_found_and_other_roles_have_none(world, pages_as):
    assert pages_as("ctv").get(f"/reminders?unit={world.other_area}").status_code == 404
    assert pages_as("xa_b").get(f"/reminders?unit={world.area}").status_code == 404
    for role in ("tinh", "huyen", "admin"):
        client = pages_as(role)
        assert client.get("/reminders").status_code == 403
        assert 'href="/reminders"' not in client.get("/").text
