"""The "Lịch sử thay đổi" page: field and many-to-many changes, who and when, old → new,
for those who may see the object; bulk writes leave history rows too."""

import pytest
from django.urls import reverse

from directory.models import Organisation
from programs.models import Commitment
from programs.services import programme_renew
from tests.conftest import org
from tests.programs.factories import ActivityFactory, MeetingFactory, PlanFactory, programme_2019

pytestmark = pytest.mark.django_db


def test_meeting_participants_and_organisations_are_in_the_history(client, thuvien, vanphong, outsider):
    meeting = MeetingFactory(created_by=thuvien, title="Họp trao đổi thông tin 6 tháng")
    meeting.participant_organisations.add(org("TVT"))
    meeting.participants.add(vanphong)
    meeting.participant_organisations.add(org("VPSGD"))
    assert meeting.history.count() >= 3, "each link change is a history record"
    client.force_login(thuvien)
    page = client.get(reverse("core:object-history", args=["meeting", meeting.pk])).content.decode()
    assert "Đơn vị tham dự" in page and "Văn phòng" in page and "Người tham dự" in page
    assert "Nguyễn Minh Tuấn" in page  # vanphong, by name
    assert "Tạo mới" in page


def test_activity_partner_units_and_fields_show_old_and_new(client, thuvien):
    plan = PlanFactory(created_by=thuvien)
    activity = ActivityFactory(plan=plan, title="Luân chuyển sách")
    activity.partner_units.set([org("VPSGD")])
    activity.title = "Luân chuyển sách tới thư viện trường học"
    activity._history_user = thuvien
    activity.save()
    client.force_login(thuvien)
    page = client.get(reverse("core:object-history", args=["activity", activity.pk])).content.decode()
    assert "Đơn vị phối hợp" in page
    assert '<del class="diff-removed">Luân chuyển sách</del>' in page
    assert "Luân chuyển sách tới thư viện trường học" in page and "Quách Thị Lan Hương" in page


def test_history_is_hidden_from_who_cannot_see_the_object(client, thuvien, outsider):
    meeting = MeetingFactory(created_by=thuvien)
    client.force_login(outsider)
    assert client.get(reverse("core:object-history", args=["meeting", meeting.pk])).status_code == 404
    assert client.get(reverse("core:object-history", args=["nothing", meeting.pk])).status_code == 404
    client.force_login(thuvien)
    assert client.post(reverse("core:object-history", args=["meeting", meeting.pk])).status_code == 405


def test_bulk_copied_commitments_have_history(thuvien):
    source = programme_2019()
    renewal = programme_renew(
        source=source, title="Giai đoạn mới", signed_on=source.signed_on, valid_from=2021, valid_to=2025, by=thuvien
    )
    copied = Commitment.objects.filter(programme=renewal)
    assert copied.exists()
    assert Commitment.history.filter(programme_id=renewal.pk, history_type="+").count() == copied.count()
    assert Commitment.history.filter(programme_id=renewal.pk).first().history_user == thuvien


@pytest.mark.parametrize("n", [2, 12])
def test_history_page_queries_are_bounded(client, thuvien, n, django_assert_max_num_queries):
    meeting = MeetingFactory(created_by=thuvien)
    offices = list(Organisation.objects.filter(kind__in=Organisation.DISTRICT_OFFICE_KINDS)[:n])
    for office in offices:
        meeting.participant_organisations.add(office)
        meeting.title = f"Họp trao đổi với {office.name}"
        meeting.save()
    client.force_login(thuvien)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("core:object-history", args=["meeting", meeting.pk])).content.decode()
    assert offices[-1].name in page


def test_main_object_pages_link_to_their_history(client, thuvien):
    plan = PlanFactory(created_by=thuvien)
    activity = ActivityFactory(plan=plan)
    meeting = MeetingFactory(created_by=thuvien)
    client.force_login(thuvien)
    for kind, url in [
        ("plan", reverse("programs:plan-detail", args=[plan.pk])),
        ("activity", reverse("programs:activity-detail", args=[activity.pk])),
        ("meeting", reverse("programs:meeting-detail", args=[meeting.pk])),
    ]:
        obj_pk = {"plan": plan.pk, "activity": activity.pk, "meeting": meeting.pk}[kind]
        page = client.get(url).content.decode()
        assert reverse("core:object-history", args=[kind, obj_pk]) in page and "Lịch sử thay đổi" in page
