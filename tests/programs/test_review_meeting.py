"""A review meeting links to the year's (or programme's) consolidation, and its decisions
seed next year's plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.programs.factories import MeetingFactory, programme_2019

pytestmark = pytest.mark.django_db


def _meeting(by, kind, when, decisions="Năm 2020 mở rộng luân chuyển sách tới 30 trường vùng khó khăn."):
    return MeetingFactory(
        programme=programme_2019(),
        kind=kind,
        title="Hội nghị",
        starts_at=timezone.make_aware(when),
        created_by=by,
        decisions=decisions,
    )


def test_preliminary_review_links_to_the_reviewed_year_and_seeds_the_next_plan(client, thuvien, gddt_lac_son):
    meeting = _meeting(thuvien, "preliminary_review", datetime.datetime(2020, 1, 10, 8))
    client.force_login(thuvien)
    page = client.get(reverse("programs:meeting-detail", args=[meeting.pk])).content.decode()
    assert reverse("reports:year-review", args=[2019]) in page
    seed = client.get(reverse("programs:plan-create") + f"?meeting={meeting.pk}").content.decode()
    assert 'value="2020"' in seed and "mở rộng luân chuyển sách tới 30 trường" in seed
    client.force_login(gddt_lac_son)  # district officers see the meeting, not the province figures
    assert (
        'data-testid="review-link"'
        not in client.get(reverse("programs:meeting-detail", args=[meeting.pk])).content.decode()
    )


def test_final_review_links_to_the_programme_and_an_exchange_meeting_to_nothing(client, thuvien):
    final = _meeting(thuvien, "final_review", datetime.datetime(2020, 12, 18, 8))
    exchange = _meeting(thuvien, "exchange", datetime.datetime(2020, 6, 18, 8))
    client.force_login(thuvien)
    page = client.get(reverse("programs:meeting-detail", args=[final.pk])).content.decode()
    assert reverse("reports:programme-review", args=[final.programme_id]) in page
    page = client.get(reverse("programs:meeting-detail", args=[exchange.pk])).content.decode()
    assert 'data-testid="review-link"' not in page
    # An exchange meeting does not seed a plan: the form stays empty.
    form = client.get(reverse("programs:plan-create") + f"?meeting={exchange.pk}").content.decode()
    assert "mở rộng luân chuyển" not in form
