import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


def test_notify_puts_message_in_inbox_and_bell_counts_it(client, gddt_lac_son):
    services.notify(user=gddt_lac_son, title="Báo cáo của đơn vị đã được tiếp nhận", url="/reports/")
    assert unread_count(gddt_lac_son) == 1
    client.force_login(gddt_lac_son)
    response = client.get(reverse("directory:organisation-list"))
    assert 'data-testid="unread-count">1<' in response.content.decode()


def test_inbox_lists_own_notifications_only(client, gddt_lac_son, outsider, django_assert_max_num_queries):
    for i in range(30):
        services.notify(user=gddt_lac_son, title=f"Thông báo số {i}")
    services.notify(user=outsider, title="Thư riêng của Mai Châu")
    client.force_login(gddt_lac_son)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:inbox"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thông báo số 29" in body
    assert "Thư riêng của Mai Châu" not in body
    assert "30 thông báo chưa đọc" in body


def test_mark_read_post_only_and_opens_the_object(client, gddt_lac_son):
    n = services.notify(user=gddt_lac_son, title="Hạn báo cáo", url="/reports/periods/1/")
    client.force_login(gddt_lac_son)
    url = reverse("notifications:notification-read", args=[n.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/periods/1/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert unread_count(gddt_lac_son) == 0


def test_open_refuses_foreign_links(client, gddt_lac_son):
    n = services.notify(user=gddt_lac_son, title="Liên kết lạ", url="https://evil.example/")
    client.force_login(gddt_lac_son)
    response = client.post(reverse("notifications:notification-read", args=[n.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_notification_is_404(client, gddt_lac_son, outsider):
    n = services.notify(user=gddt_lac_son, title="Riêng tư")
    client.force_login(outsider)
    response = client.post(reverse("notifications:notification-read", args=[n.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_mark_all_read(client, gddt_lac_son):
    for i in range(3):
        services.notify(user=gddt_lac_son, title=f"Tin {i}")
    client.force_login(gddt_lac_son)
    assert client.get(reverse("notifications:read-all")).status_code == 405
    client.post(reverse("notifications:read-all"))
    assert unread_count(gddt_lac_son) == 0


def test_inbox_requires_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
