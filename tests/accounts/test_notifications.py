import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.notification_views import MSG_ALL_READ
from accounts.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


def test_notify_creates_one_message_per_user(world):
    created = notify([world.specialist_x.pk, world.specialist_x.pk, world.methodist.pk, None], "Текст", "/x/")
    assert len(created) == 2
    assert unread_count(user=world.specialist_x) == 1
    assert notify([], "Текст") == []


def test_page_lists_only_own_notifications_and_marks_them_read(world, client_for):
    notify([world.specialist_x.pk], "Отчёт «СОШ № 1» отправлен на проверку", "/campaigns/")
    notify([world.specialist_y.pk], "Чужое уведомление")
    client = client_for(world.specialist_x)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert "СОШ № 1" in response.content.decode()
    assert "Чужое уведомление" not in response.content.decode()
    assert unread_count(user=world.specialist_x) == 0
    assert unread_count(user=world.specialist_y) == 1


def test_unread_count_in_navigation_with_one_query(world, client_for, django_assert_num_queries):
    from accounts.context_processors import role

    notify([world.coordinator_a.pk], "Первое")
    notify([world.coordinator_a.pk], "Второе")
    client = client_for(world.coordinator_a)
    response = client.get(reverse("password_change"))
    assert 'id="unread-count"' in response.content.decode()
    assert response.context["unread_notifications"] == 2

    class Request:
        user = world.coordinator_a

    with django_assert_num_queries(1):
        assert role(Request())["unread_notifications"] == 2


def test_opening_someone_elses_notification_is_not_found(world, client_for):
    (other,) = notify([world.specialist_y.pk], "Чужое", "/campaigns/")
    (own,) = notify([world.specialist_x.pk], "Своё", "/campaigns/")
    client = client_for(world.specialist_x)
    assert client.get(reverse("notification_open", args=[other.pk])).status_code == 404
    response = client.get(reverse("notification_open", args=[own.pk]))
    assert response.status_code == 302 and response.url == "/campaigns/"
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.read_at is not None and other.read_at is None


def test_read_all_touches_only_own(world, client_for):
    notify([world.specialist_x.pk, world.specialist_y.pk], "Общее")
    response = client_for(world.specialist_x).post(reverse("notifications_read_all"), follow=True)
    assert MSG_ALL_READ in response.content.decode()
    assert Notification.objects.filter(user=world.specialist_y, read_at__isnull=True).count() == 1
    assert Notification.objects.filter(user=world.specialist_x, read_at__isnull=True).count() == 0
