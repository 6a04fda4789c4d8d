"""Writes to organisations: registration, closing and merging, with history and validation."""

import datetime

import pytest
from django.core.management import CommandError

from schools import services
from schools.command_args import find_municipality
from schools.matching import MunicipalityMatcher
from schools.models import Municipality, MunicipalityAlias, School


def test_school_create_records_history_and_author(world):
    school = services.school_create(
        municipality=world.mun_x,
        short_name="  МАОУ СОШ № 99 г. Томска ",
        address="ул. Новая, 1",
        user=world.methodist,
    )
    assert school.short_name == "МАОУ СОШ № 99 г. Томска"
    assert school.history.get().history_user == world.methodist


def test_school_create_refuses_a_duplicate_and_non_methodists(world):
    with pytest.raises(services.SchoolError):
        services.school_create(
            municipality=world.mun_x, short_name=world.school_a1.short_name, user=world.methodist
        )
    with pytest.raises(services.SchoolError, match="только методисты"):
        services.school_create(municipality=world.mun_x, short_name="Новая школа", user=world.specialist_x)
    assert not School.objects.filter(short_name="Новая школа").exists()


def test_branch_create(world):
    branch = services.branch_create(school=world.school_a2, name="Филиал в с. Новом", user=world.methodist)
    assert branch.history.get().history_user == world.methodist


def test_school_close_and_merge(world):
    day = datetime.date(2017, 8, 31)
    closed = services.school_close(
        school_id=world.school_a2.pk,
        closed_on=day,
        reason="merged",
        merged_into_id=world.school_a1.pk,
        user=world.methodist,
    )
    assert (closed.closed_on, closed.close_reason, closed.merged_into, closed.is_active) == (
        day,
        "merged",
        world.school_a1,
        False,
    )
    assert closed.history.first().history_user == world.methodist
    with pytest.raises(services.SchoolError, match="уже закрыта"):
        services.school_close(
            school_id=world.school_a2.pk, closed_on=day, reason="closed", user=world.methodist
        )
    with pytest.raises(services.SchoolError, match="к которой присоединена"):
        services.school_close(
            school_id=world.school_b1.pk, closed_on=day, reason="merged", user=world.methodist
        )
    with pytest.raises(services.SchoolError, match="сама закрыта"):
        services.school_close(
            school_id=world.school_b1.pk,
            closed_on=day,
            reason="merged",
            merged_into_id=world.school_a2.pk,
            user=world.methodist,
        )
    # Working on a day before the closing, not on or after it.
    assert world.school_a2 in School.objects.open_on(datetime.date(2017, 5, 15))
    assert world.school_a2 not in School.objects.open_on(day)
    services.school_reopen(school_id=world.school_a2.pk, user=world.methodist)
    assert School.objects.get(pk=world.school_a2.pk).closed_on is None


@pytest.mark.parametrize(
    "written,code",
    [
        ("Город Томск", "tomsk"),
        ("г. Томск", "tomsk"),
        ("г.Томск", "tomsk"),
        ("город томск", "tomsk"),
        ("ТОМСК", "tomsk"),
        ("Томский район", "tomsky"),
        ("Томский р-н", "tomsky"),
        ("Томский муниципальный район", "tomsky"),
        ("ЗАТО Северск", "seversk"),
        ("ЗАТО г. Северск", "seversk"),
        ("«ЗАТО Северск»", "seversk"),
        ("г. Стрежевой", "strezhevoy"),
        ("Асиновский", "asinovsky"),
        ("МО «Асиновский район»", "asinovsky"),
        ("Областные государственные общеобразовательные организации", "regional"),
        ("Областные государственные ОО", "regional"),
        ("областные ОО", "regional"),
        ("ОГОО", "regional"),
        ("regional", "regional"),
    ],
)
def test_municipality_names_as_people_write_them(db, written, code):
    match = MunicipalityMatcher().find(written)
    assert match is not None and match.municipality.code == code
    assert find_municipality(written).code == code


def test_every_municipality_has_seeded_aliases(db):
    assert (
        MunicipalityAlias.objects.values("municipality").distinct().count()
        == Municipality.objects.count()
        == 21
    )


def test_alias_added_by_a_methodist_is_matched(db):
    kedrovy = Municipality.objects.get(code="kedrovy")
    assert MunicipalityMatcher().find("Пудино") is None
    MunicipalityAlias.objects.create(municipality=kedrovy, name="Пудино")
    assert MunicipalityMatcher().find("пудино").municipality == kedrovy


def test_unknown_municipality_lists_the_known_names(db):
    with pytest.raises(CommandError) as exc:
        find_municipality("Нижний Новгород")
    assert "Нижний Новгород" in str(exc.value) and "Шегарский район" in str(exc.value)
