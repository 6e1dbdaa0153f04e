"""Two quick submissions of "new annual plan" or "new local plan": the second answers with a
message (or the first's plan), never 500, and only one row exists.

The race is reproduced deterministically: right after the service has checked that no plan
exists, when it builds its new row, a competing row is committed (as the other request
would), through a post_init receiver that inserts it once with a plain INSERT."""

import contextlib

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from programs.models import AnnualPlan, LocalPlan
from tests.conftest import org
from tests.programs.factories import PlanFactory, current_programme


@contextlib.contextmanager
def competing_insert(model, make_row):
    """Insert `make_row()` when the next new `model` object is built, once."""
    done = []

    def receiver(sender, instance, **kwargs):
        if not done and instance.pk is None:
            done.append(True)
            model.objects.bulk_create([make_row()])

    post_init.connect(receiver, sender=model, weak=False)
    try:
        yield done
    finally:
        post_init.disconnect(receiver, sender=model)


def test_a_second_new_plan_submitted_at_the_same_time_gets_a_message(client, thuvien):
    year = timezone.localdate().year
    programme = current_programme(year)
    client.force_login(thuvien)
    data = {"year": str(year), "title": f"Kế hoạch năm {year}", "summary": ""}
    with competing_insert(
        AnnualPlan,
        lambda: AnnualPlan(programme=programme, year=year, title="Bấm lần một", created_by=thuvien),
    ) as raced:
        response = client.post(reverse("programs:plan-create"), data)
    assert raced, "the competing request did not run"
    assert response.status_code == 200
    assert f"Đã có kế hoạch năm {year}" in response.content.decode()
    # The loser wrote nothing (here the simulated winner shared its transaction, so it is
    # rolled back with it; in production it is the other request's own committed row).
    assert not AnnualPlan.objects.filter(year=year, title=f"Kế hoạch năm {year}").exists()


def test_a_second_new_local_plan_opens_the_first(client, thuvien, gddt_lac_son):
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien, in_force_at=timezone.now())
    client.force_login(gddt_lac_son)
    with competing_insert(
        LocalPlan,
        lambda: LocalPlan(plan=plan, organisation=org("GDDT-157"), title="Bấm lần một", created_by=gddt_lac_son),
    ) as raced:
        response = client.post(reverse("programs:local-plan-create"))
    assert raced
    first = LocalPlan.objects.get(plan=plan, organisation=org("GDDT-157"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "programs:local-plan-detail", args=[first.pk]
    )
    assert LocalPlan.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize("repeat", [2])
def test_plain_double_click_on_new_plan_is_a_message(client, thuvien, repeat):
    year = timezone.localdate().year
    current_programme(year)
    client.force_login(thuvien)
    data = {"year": str(year), "title": f"Kế hoạch năm {year}", "summary": ""}
    responses = [client.post(reverse("programs:plan-create"), data) for _ in range(repeat)]
    assert responses[0].status_code == 302 and responses[1].status_code == 200
    assert "Đã có kế hoạch năm" in responses[1].content.decode()
    assert AnnualPlan.objects.filter(year=year).count() == 1
