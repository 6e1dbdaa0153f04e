from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from circulation import selectors, services
from circulation.models import Item, Rotation, RotationEvent
from tests.conftest import org

from .factories import collection_with_items


def plan(collection, library, by, day=date(2026, 11, 25), due=None):
    return services.rotation_plan(
        collection=collection, school_library=library, planned_dispatch_date=day, due_date=due, by=by
    )


def test_due_date_defaults_to_three_months(collection, school_library, thuvien):
    rotation = plan(collection, school_library, thuvien)
    assert rotation.due_date == date(2027, 2, 25)
    assert rotation.status == Rotation.Status.PLANNED


def test_due_date_stops_at_end_of_school_year(collection, school_library, thuvien):
    rotation = plan(collection, school_library, thuvien, day=date(2027, 4, 10))
    assert rotation.due_date == date(2027, 5, 31)


def test_due_date_past_school_year_is_refused_in_vietnamese(collection, school_library, thuvien):
    with pytest.raises(ValidationError) as exc:
        plan(collection, school_library, thuvien, day=date(2027, 3, 1), due=date(2027, 6, 15))
    assert "kết thúc năm học (31/05/2027)" in " ".join(exc.value.messages)
    assert not Rotation.objects.exists()


def test_due_date_over_six_months_is_refused(collection, school_library, thuvien):
    with pytest.raises(ValidationError) as exc:
        plan(collection, school_library, thuvien, day=date(2026, 9, 5), due=date(2027, 3, 10))
    assert "6 tháng" in " ".join(exc.value.messages)


def test_collection_cannot_be_dispatched_twice(collection, school_library, thuvien):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    with pytest.raises(ValidationError) as exc:
        services.rotation_dispatch(rotation=rotation, by=thuvien)
    assert "không thể gửi đi nữa" in " ".join(exc.value.messages)
    assert rotation.lines.count() == 3
    assert rotation.events.filter(kind=RotationEvent.Kind.DISPATCHED).count() == 1


def test_collection_cannot_go_to_two_schools(collection, school_library, other_school_library, thuvien):
    first = plan(collection, school_library, thuvien)
    second = plan(collection, other_school_library, thuvien)
    services.rotation_dispatch(rotation=first, by=thuvien)
    with pytest.raises(ValidationError) as exc:
        services.rotation_dispatch(rotation=second, by=thuvien)
    assert "hai nơi cùng lúc" in " ".join(exc.value.messages)
    second.refresh_from_db()
    assert second.status == Rotation.Status.PLANNED


def test_database_refuses_a_second_open_rotation(collection, school_library, other_school_library, thuvien):
    first = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=first, by=thuvien)
    second = plan(collection, other_school_library, thuvien)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rotation.objects.filter(pk=second.pk).update(status=Rotation.Status.DISPATCHED)


def test_only_owner_staff_dispatch(collection, school_library, thuvien, gddt_lac_son, tv_lac_son):
    rotation = plan(collection, school_library, thuvien)
    for user in (gddt_lac_son, tv_lac_son):
        with pytest.raises(PermissionDenied):
            services.rotation_dispatch(rotation=rotation, by=user)


def test_district_culture_centre_acts_for_its_library(district_collection, school_library, ttvh_lac_son, thuvien):
    rotation = plan(district_collection, school_library, ttvh_lac_son)
    services.rotation_dispatch(rotation=rotation, by=ttvh_lac_son)
    assert Rotation.objects.get(pk=rotation.pk).status == Rotation.Status.DISPATCHED
    with pytest.raises(PermissionDenied):
        plan(district_collection, school_library, thuvien)  # the Provincial Library does not own it


def receive_with_missing(rotation, librarian, missing_positions):
    lines = list(rotation.lines.order_by("position"))
    received = {line.pk: (0 if line.position in missing_positions else line.copies_sent) for line in lines}
    return services.rotation_receive(rotation=rotation, by=librarian, received=received)


def test_receipt_with_two_missing_items_lists_them_and_counts_them(collection, school_library, thuvien, tv_lac_son):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    receive_with_missing(rotation, tv_lac_son, {1, 3})
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.RECEIVED
    assert rotation.copies_missing == 4 and rotation.copies_received == 2
    lines = list(rotation.lines.order_by("position"))
    missing = selectors.missing_lines([rotation.pk])[rotation.pk]
    assert [line.title for line in missing] == [lines[0].title, lines[2].title]
    note = rotation.events.get(kind=RotationEvent.Kind.RECEIVED).note
    assert lines[0].title in note and lines[2].title in note and lines[1].title not in note
    stats = selectors.statistics(thuvien)
    assert stats["totals"]["missing"] == 4
    assert stats["totals"]["received"] == 2
    found = selectors.discrepancies(thuvien)["missing"]
    assert list(found) == [rotation]


def test_receipt_by_count_must_match(collection, school_library, thuvien, tv_lac_son):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    with pytest.raises(ValidationError) as exc:
        services.rotation_receive(rotation=rotation, by=tv_lac_son, total=5)
    assert "theo từng tên sách" in " ".join(exc.value.messages)
    services.rotation_receive(rotation=rotation, by=tv_lac_son, total=6)
    rotation.refresh_from_db()
    assert rotation.receipt_mode == Rotation.ReceiptMode.COUNT and rotation.copies_missing == 0


def test_other_school_librarian_cannot_receive(collection, school_library, thuvien, other_librarian):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    with pytest.raises(PermissionDenied):
        services.rotation_receive(rotation=rotation, by=other_librarian, total=6)


def test_return_with_one_lost_item_closes_with_the_loss(collection, school_library, thuvien, tv_lac_son):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    services.rotation_receive(rotation=rotation, by=tv_lac_son, total=6)
    services.rotation_return(rotation=rotation, by=tv_lac_son)
    lines = list(rotation.lines.order_by("position"))
    results = {line.pk: (2, 0, 0) for line in lines}
    results[lines[1].pk] = (0, 2, 0)
    services.rotation_check(rotation=rotation, by=thuvien, results=results)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.CLOSED
    assert (rotation.copies_back, rotation.copies_lost, rotation.copies_damaged) == (4, 2, 0)
    item = Item.objects.get(pk=lines[1].item_id)
    assert item.condition == Item.Condition.LOST and item.collection is None
    assert f"Mất 2 bản “{lines[1].title}”" in rotation.events.get(kind=RotationEvent.Kind.CHECKED).note
    assert list(selectors.discrepancies(thuvien)["losses"]) == [rotation]
    figures = selectors.report_figures(organisation=org("TVT"), start=date(2026, 7, 1), end=date(2026, 12, 31))
    assert figures == {"LC01": 1, "LC02": 6, "LC03": 1, "LC04": 2}


def test_check_must_account_for_every_copy(collection, school_library, thuvien, tv_lac_son):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    services.rotation_receive(rotation=rotation, by=tv_lac_son, total=6)
    line = rotation.lines.first()
    with pytest.raises(ValidationError) as exc:
        services.rotation_check(rotation=rotation, by=thuvien, results={line.pk: (1, 0, 0)})
    assert "cộng lại bằng 2" in " ".join(exc.value.messages)
    assert Rotation.objects.get(pk=rotation.pk).status == Rotation.Status.RECEIVED


def test_history_shows_every_step_with_author_and_time(collection, school_library, thuvien, tv_lac_son):
    rotation = plan(collection, school_library, thuvien)
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    services.rotation_receive(rotation=rotation, by=tv_lac_son, total=6)
    services.rotation_return(rotation=rotation, by=tv_lac_son)
    services.rotation_check(rotation=rotation, by=thuvien)
    events = list(selectors.rotation_history(rotation))
    assert [(e.kind, e.by) for e in events] == [
        ("planned", thuvien),
        ("dispatched", thuvien),
        ("received", tv_lac_son),
        ("returned", tv_lac_son),
        ("checked", thuvien),
    ]
    assert all(e.at is not None for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)


def test_history_is_append_only(collection, school_library, thuvien):
    rotation = plan(collection, school_library, thuvien)
    event = rotation.events.get()
    event.note = "sửa"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert rotation.events.get().note != "sửa"


def test_empty_collection_cannot_be_dispatched(school_library, thuvien):
    collection = collection_with_items(0)
    rotation = plan(collection, school_library, thuvien)
    with pytest.raises(ValidationError) as exc:
        services.rotation_dispatch(rotation=rotation, by=thuvien)
    assert "chưa có cuốn sách" in " ".join(exc.value.messages)


def test_report_figures_for_district_offices(
    district_collection, collection, school_library, thuvien, ttvh_lac_son, tv_lac_son
):
    for coll, by in ((district_collection, ttvh_lac_son), (collection, thuvien)):
        rotation = services.rotation_dispatch(rotation=plan(coll, school_library, by), by=by)
        services.rotation_receive(rotation=rotation, by=tv_lac_son, total=rotation.copies_sent)
    window = {"start": date(2026, 7, 1), "end": date(2026, 12, 31)}
    assert selectors.report_figures(organisation=org("VHTT-157"), **window) == {
        "LC01": 2,
        "LC02": 8,
        "LC03": 1,
        "LC04": 0,
    }
    assert selectors.report_figures(organisation=org("TVH-157"), **window)["LC02"] == 2
    assert selectors.report_figures(organisation=org("GDDT-157"), **window) == {"GD11": 8}
    assert selectors.report_figures(organisation=org("GDDT-156"), **window) == {"GD11": 0}
    assert selectors.report_figures(organisation=org("VHTT-157"), start=date(2026, 1, 1), end=date(2026, 6, 30)) == {
        "LC01": 0,
        "LC02": 0,
        "LC03": 0,
        "LC04": 0,
    }
