"""Writes of the registry and the passport."""

import pytest

from projects import services
from projects.models import PilotSite
from projects.selectors import active_pilot_school_ids, is_active_pilot_site
from tests.projects.conftest import D, make_site

MAY_22 = D(2015, 5, 22)


def add(project, school, systems, joined_on=MAY_22, user=None, system="tesh"):
    return services.pilot_site_add(
        project=project,
        school=school,
        agreement_type="trilateral",
        system=systems[system],
        joined_on=joined_on,
        agreement_number=" Т-15/2015 ",
        basis_order="Распоряжение № 360-р от 22.05.2015",
        user=user,
    )


def test_add_and_end_keep_history(world, project, systems):
    site = add(project, world.school_a1, systems, user=world.methodist)
    assert site.agreement_number == "Т-15/2015"
    services.pilot_site_end(
        site=site, left_on=D(2016, 11, 14), reason=" Перешла на «Дневник.ру» ", user=world.methodist
    )
    site.refresh_from_db()
    assert (site.left_on, site.leave_reason) == (D(2016, 11, 14), "Перешла на «Дневник.ру»")
    records = list(site.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert all(r.history_user == world.methodist for r in records)
    assert records[0].left_on is None and records[1].left_on == D(2016, 11, 14)


def test_a_school_cannot_join_twice(world, project, systems):
    add(project, world.school_a1, systems)
    with pytest.raises(services.ServiceError) as exc:
        add(project, world.school_a1, systems, joined_on=D(2016, 1, 1))
    assert str(exc.value) == services.MSG_SITE_ACTIVE.format(school=world.school_a1, date="22.05.2015")
    assert PilotSite.objects.count() == 1


def test_rejoining_must_not_overlap_the_old_membership(world, project, systems):
    site = add(project, world.school_a1, systems)
    services.pilot_site_end(site=site, left_on=D(2016, 11, 14), reason="Перешла на «Дневник.ру»")
    with pytest.raises(services.ServiceError, match="до 14.11.2016"):
        add(project, world.school_a1, systems, joined_on=D(2016, 9, 1))
    again = add(project, world.school_a1, systems, joined_on=D(2017, 9, 1), system="dnevnik")
    assert again.is_active


def test_system_not_used_is_refused(world, project, systems):
    with pytest.raises(services.ServiceError) as exc:
        add(project, world.school_a1, systems, system="none")
    assert str(exc.value) == services.MSG_SYSTEM_NOT_USED


def test_end_refusals(world, project, systems):
    site = add(project, world.school_a1, systems)
    with pytest.raises(services.ServiceError) as exc:
        services.pilot_site_end(site=site, left_on=D(2015, 5, 21), reason="ошибка")
    assert str(exc.value) == services.MSG_LEFT_BEFORE_JOINED.format(date="22.05.2015")
    with pytest.raises(services.ServiceError) as exc:
        services.pilot_site_end(site=site, left_on=D(2016, 1, 1), reason="   ")
    assert str(exc.value) == services.MSG_REASON_REQUIRED
    services.pilot_site_end(site=site, left_on=D(2016, 1, 1), reason="Реорганизация")
    with pytest.raises(services.ServiceError) as exc:
        services.pilot_site_end(site=site, left_on=D(2016, 2, 1), reason="ещё раз")
    assert str(exc.value) == services.MSG_SITE_ENDED.format(school=world.school_a1, date="01.01.2016")
    site.refresh_from_db()
    assert site.left_on == D(2016, 1, 1)


def test_active_on_a_date(world, project):
    make_site(project, world.school_a1, "tesh", D(2013, 3, 20), left_on=D(2016, 11, 14))
    make_site(project, world.school_a2, "tesh", D(2016, 11, 14))
    assert is_active_pilot_site(world.school_a1, D(2016, 11, 13))
    assert not is_active_pilot_site(world.school_a1, D(2016, 11, 14))  # left_on: no longer a member
    assert not is_active_pilot_site(world.school_a2, D(2016, 11, 13))
    assert is_active_pilot_site(world.school_a2, D(2016, 11, 14), project=project)  # joined that day
    assert not is_active_pilot_site(world.school_b1, D(2016, 11, 14))
    assert active_pilot_school_ids(project, D(2013, 3, 19)) == set()
    assert active_pilot_school_ids(project, D(2015, 1, 1)) == {world.school_a1.pk}
    assert active_pilot_school_ids(project, D(2017, 1, 1)) == {world.school_a2.pk}


def test_project_update(world, project):
    services.project_update(project=project, user=world.methodist, goal="Новая цель проекта.")
    project.refresh_from_db()
    assert project.goal == "Новая цель проекта."
    assert project.history.latest().history_user == world.methodist
    with pytest.raises(services.ServiceError):
        services.project_update(project=project, user=world.coordinator_a, goal="Чужая цель.")
    with pytest.raises(TypeError):
        services.project_update(project=project, user=world.methodist, updated_at=None)


def test_academic_year_helpers():
    assert services.academic_year_of(D(2017, 2, 10)) == "2016-2017"
    assert services.academic_year_of(D(2017, 9, 1)) == "2017-2018"
    assert services.academic_year_valid("2016-2017")
    assert not services.academic_year_valid("2016-2018")
    assert not services.academic_year_valid("16-17")
