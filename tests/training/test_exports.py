import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from training import services

from .factories import CourseFactory, SessionFactory, StaffFactory


def test_participants_and_attendance_exports(client, thuvien, gddt_lac_son, giamdoc_vhttdl, gddt_mai_chau):
    course = CourseFactory(capacity=5)
    s1 = SessionFactory(course=course, date=timezone.localdate() - dt.timedelta(days=2))
    SessionFactory(course=course, date=timezone.localdate() - dt.timedelta(days=1))
    names = ["Bùi Thị Lan", '=HYPERLINK("http://x")']
    people = [
        services.nomination_create(course=course, staff=StaffFactory(full_name=n), by=gddt_lac_son) for n in names
    ]
    for n in people:
        services.nomination_approve(nomination=n, by=thuvien)
    services.attendance_mark(session=s1, nomination=people[0], present=True, by=thuvien)

    client.force_login(thuvien)
    response = client.get(reverse("training:export-participants", args=[course.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Họ và tên"
    assert rows[1][1] == "Bùi Thị Lan" and rows[1][8] == "Đã ghi danh"
    assert rows[2][1].startswith("'=")  # neutralised, never a formula

    response = client.get(reverse("training:export-attendance", args=[course.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][3] == f"{s1.date:%d/%m/%Y}"
    lan = next(r for r in rows if r[1] == "Bùi Thị Lan")
    assert lan[3] == "x" and lan[-1] == 1

    client.force_login(giamdoc_vhttdl)
    assert client.get(reverse("training:export-participants", args=[course.pk])).status_code == 403
    client.force_login(gddt_mai_chau)
    assert client.get(reverse("training:export-attendance", args=[course.pk])).status_code == 403
    client.force_login(thuvien)
    assert client.post(reverse("training:export-attendance", args=[course.pk])).status_code == 405
