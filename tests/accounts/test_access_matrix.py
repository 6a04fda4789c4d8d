"""Who sees which organisation page: own data is visible, anything else is a 404."""

import pytest
from django.urls import reverse

# For each persona: the schools and municipalities it may open.
VISIBLE = {
    "coordinator_a": ({"school_a1"}, set()),
    "coordinator_b": ({"school_b1"}, set()),
    "specialist_x": ({"school_a1", "school_a2"}, {"mun_x"}),
    "specialist_y": ({"school_b1", "school_b2"}, {"mun_y"}),
    "methodist": ({"school_a1", "school_a2", "school_b1", "school_b2"}, {"mun_x", "mun_y"}),
    "admin": ({"school_a1", "school_a2", "school_b1", "school_b2"}, {"mun_x", "mun_y"}),
    "nobody": (set(), set()),
}
SCHOOLS = ["school_a1", "school_a2", "school_b1", "school_b2"]
MUNICIPALITIES = ["mun_x", "mun_y"]
BRANCH_OF = {"school_a1": "branch_a1", "school_b1": "branch_b1"}


@pytest.mark.parametrize("persona", VISIBLE)
@pytest.mark.parametrize("school", SCHOOLS)
def test_school_page(world, client_for, persona, school):
    obj = getattr(world, school)
    response = client_for(getattr(world, persona)).get(reverse("schools:school", args=[obj.pk]))
    if school in VISIBLE[persona][0]:
        assert response.status_code == 200
        assert obj.short_name in response.content.decode()
        if school in BRANCH_OF:
            assert getattr(world, BRANCH_OF[school]).name in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", VISIBLE)
@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_municipality_page(world, client_for, persona, municipality):
    obj = getattr(world, municipality)
    response = client_for(getattr(world, persona)).get(reverse("schools:municipality", args=[obj.pk]))
    if municipality in VISIBLE[persona][1]:
        assert response.status_code == 200
        html = response.content.decode()
        for school in SCHOOLS:
            school_obj = getattr(world, school)
            assert (school_obj.short_name in html) == (school_obj.municipality_id == obj.pk)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", VISIBLE)
def test_organisation_list_shows_only_scope(world, client_for, persona):
    response = client_for(getattr(world, persona)).get(reverse("schools:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for school in SCHOOLS:
        assert (getattr(world, school).short_name in html) == (school in VISIBLE[persona][0])
    for school, branch in BRANCH_OF.items():
        assert (getattr(world, branch).name in html) == (school in VISIBLE[persona][0])


def test_missing_ids_are_404_not_500(world, client_for):
    client = client_for(world.methodist)
    assert client.get(reverse("schools:school", args=[999999])).status_code == 404
    assert client.get(reverse("schools:municipality", args=[999999])).status_code == 404


@pytest.mark.parametrize("url", ["schools:list", "home"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_school_and_municipality_pages_need_login(client, world):
    for url in (
        reverse("schools:school", args=[world.school_a1.pk]),
        reverse("schools:municipality", args=[world.mun_x.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
