from schools.models import EdmsSystem, EdmsVendor, Municipality


def test_municipalities_present_after_migrate(db):
    assert Municipality.objects.exclude(kind="regional").count() == 20
    assert Municipality.objects.filter(kind="regional").count() == 1
    assert Municipality.objects.filter(kind="city").count() == 4
    names = set(Municipality.objects.values_list("name", flat=True))
    assert {"Город Томск", "ЗАТО Северск", "Шегарский район", "Областные государственные ОО"} <= names


def test_systems_and_vendors_present_after_migrate(db):
    assert EdmsVendor.objects.count() == 3
    assert EdmsSystem.objects.filter(is_used=True).count() == 5
    not_used = EdmsSystem.objects.get(is_used=False)
    assert not_used.name == "не используется"
    assert not_used.vendor is None
    irtech = EdmsSystem.objects.filter(vendor__short_name="ИРТех")
    assert sorted(irtech.values_list("installation", flat=True)) == [
        "217.18.149.34",
        "netgorod.tomsk-7.ru",
        "portal.guostrj.ru",
    ]
    assert "Томская электронная школа" in EdmsSystem.objects.get(code="tesh").alias_list()


def test_organisation_list_query_count_is_constant(world, client_for, django_assert_max_num_queries):
    from django.urls import reverse

    from tests.factories import BranchFactory, SchoolFactory

    client = client_for(world.methodist)
    for _ in range(15):
        BranchFactory(school=SchoolFactory())
    # 8 for the page, 1 for the session, saved again on this first request (idle timeout), 1 for the unread
    # notifications in the navigation.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("schools:list"))
    assert response.status_code == 200


def test_reference_import_export_only_for_methodists(world, client_for):
    from django.urls import reverse

    from accounts.services import user_apply_role
    from tests.factories import UserFactory

    user_apply_role(user=world.methodist)
    client = client_for(world.methodist)
    assert client.get(reverse("admin:schools_school_import")).status_code == 200
    assert client.get(reverse("admin:schools_edmssystem_export")).status_code == 200
    # Staff without a regional role (e.g. a support account) may edit but not import or export.
    from django.contrib.auth.models import Permission

    staff = UserFactory(username="support", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="schools"))
    client = client_for(staff)
    assert client.get(reverse("admin:schools_school_changelist")).status_code == 200
    assert client.get(reverse("admin:schools_school_import")).status_code == 403
