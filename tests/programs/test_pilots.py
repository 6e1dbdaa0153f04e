"""Pilots by school level (IV.3.c): only schools of the pilot's level take part (checked in
the service), evaluation with lessons and evidence, then the roll-out decision; a page per
level; the schools taking part feed GD10 of the district education offices' reports."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Pilot
from programs.selectors import report_figures
from programs.services import pilot_decide, pilot_evaluate, pilot_save
from tests.conftest import org
from tests.factories import SchoolFactory

from .factories import programme_2019

pytestmark = pytest.mark.django_db


def _school(name, level, district_code="157"):
    office = org(f"GDDT-{district_code}")
    return SchoolFactory(name=name, school_level=level, district=office.district, parent=office)


@pytest.fixture
def primary_schools():
    return [_school("Trường Tiểu học Vụ Bản", "primary"), _school("Trường Tiểu học Chiềng Châu", "primary", "156")]


def _pilot(by, schools, **kw):
    args = {
        "programme": programme_2019(),
        "title": "Giờ đọc sách thư viện xanh",
        "school_level": "primary",
        "start_date": date(2019, 9, 5),
        "end_date": date(2020, 5, 31),
        "schools": schools,
        "by": by,
    }
    args.update(kw)
    return pilot_save(**args)


def test_only_schools_of_the_pilots_level_take_part(thuvien, primary_schools):
    secondary = _school("Trường THCS Mường Khến", "lower_secondary")
    with pytest.raises(ValidationError, match="Chỉ trường tiểu học .*Trường THCS Mường Khến"):
        _pilot(thuvien, [*primary_schools, secondary])
    assert not Pilot.objects.exists()
    with pytest.raises(ValidationError, match="Chỉ trường"):
        _pilot(thuvien, [org("GDDT-157")])  # an office is not a school
    pilot = _pilot(thuvien, primary_schools)
    assert set(pilot.schools.all()) == set(primary_schools)
    with pytest.raises(ValidationError, match="Chỉ trường trung học cơ sở"):
        _pilot(thuvien, primary_schools, pilot=pilot, school_level="lower_secondary")
    assert Pilot.objects.get().school_level == "primary"


def test_evaluation_then_decision(thuvien, giamdoc_sgddt, gddt_lac_son, primary_schools):
    pilot = _pilot(thuvien, primary_schools)
    with pytest.raises(ValidationError, match="đánh giá mô hình thí điểm trước"):
        pilot_decide(pilot=pilot, decision="roll_out", roll_out_from=date(2020, 9, 5), by=giamdoc_sgddt)
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        pilot_evaluate(pilot=pilot, lessons="…", by=thuvien, today=date(2019, 8, 1))
    with pytest.raises(ValidationError, match="bài học"):
        pilot_evaluate(pilot=pilot, lessons=" ", by=thuvien, today=date(2020, 6, 1))
    with pytest.raises(PermissionDenied):
        pilot_evaluate(pilot=pilot, lessons="Tốt", by=gddt_lac_son, today=date(2020, 6, 1))
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban danh gia", content_type="application/pdf")
    pilot = pilot_evaluate(
        pilot=pilot,
        lessons="Học sinh đọc nhiều hơn khi có giờ đọc cố định.",
        evidence=evidence,
        by=thuvien,
        today=date(2020, 6, 1),
    )
    with pytest.raises(ValidationError, match="thời điểm bắt đầu nhân rộng"):
        pilot_decide(pilot=pilot, decision="roll_out", by=giamdoc_sgddt)
    pilot = pilot_decide(pilot=pilot, decision="roll_out", roll_out_from=date(2020, 9, 5), by=giamdoc_sgddt)
    assert pilot.stage == "decided" and pilot.evidence.name.endswith(".pdf")
    with pytest.raises(ValidationError, match="đã có quyết định"):
        pilot_evaluate(pilot=pilot, lessons="Sửa", by=thuvien, today=date(2020, 7, 1))


def test_schools_taking_part_feed_gd10(thuvien, primary_schools):
    _pilot(thuvien, primary_schools)
    lac_son, mai_chau = org("GDDT-157"), org("GDDT-156")
    assert report_figures(organisation=lac_son, start=date(2019, 12, 15), end=date(2020, 6, 14)) == {"GD10": 1}
    assert report_figures(organisation=mai_chau, start=date(2019, 12, 15), end=date(2020, 6, 14)) == {"GD10": 1}
    assert report_figures(organisation=lac_son, start=date(2020, 6, 15), end=date(2020, 12, 14)) == {"GD10": 0}
    assert report_figures(organisation=org("VHTT-157"), start=date(2019, 12, 15), end=date(2020, 6, 14)) == {}


def test_gd10_is_prefilled_in_the_report(thuvien, gddt_lac_son, primary_schools, monkeypatch):
    from reports import services as reports_services
    from tests.reports.factories import period

    _pilot(thuvien, primary_schools)
    report = reports_services.report_start(period=period(2020, "H1"), organisation=org("GDDT-157"), by=gddt_lac_son)
    assert report.values.get(indicator__code="GD10").number == 1


def test_level_page_shows_pilot_evaluation_and_rollout(
    client, thuvien, giamdoc_sgddt, primary_schools, django_assert_max_num_queries
):
    pilot = _pilot(thuvien, primary_schools)
    pilot_evaluate(pilot=pilot, lessons="Nên mở rộng.", by=thuvien, today=date(2020, 6, 1))
    pilot_decide(pilot=pilot, decision="roll_out", roll_out_from=date(2020, 9, 5), by=giamdoc_sgddt)
    _pilot(thuvien, primary_schools[:1], title="Câu lạc bộ bạn yêu sách")
    client.force_login(giamdoc_sgddt)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("programs:pilot-level", args=["primary"])).content.decode()
    assert "Giờ đọc sách thư viện xanh" in page and "Câu lạc bộ bạn yêu sách" in page
    assert "Nhân rộng" in page and "05/09/2020" in page
    assert client.get(reverse("programs:pilot-level", args=["university"])).status_code == 404
    index = client.get(reverse("programs:pilot-index")).content.decode()
    assert "1 đang thí điểm · 0 đã đánh giá · 1 đã quyết định" in index


def test_create_view_refuses_a_school_of_another_level(client, thuvien, gddt_lac_son, primary_schools):
    programme_2019()
    secondary = _school("Trường THCS Mường Khến", "lower_secondary")
    url = reverse("programs:pilot-create")
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    data = {
        "title": "Thư viện lớp học",
        "school_level": "primary",
        "start_date": "2019-09-05",
        "end_date": "2020-05-31",
        "schools": [primary_schools[0].pk, secondary.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Pilot.objects.exists()  # not a choice for this level
    data["schools"] = [primary_schools[0].pk]
    response = client.post(url, data, follow=True)
    assert "Đã lưu mô hình thí điểm" in response.content.decode()
    assert list(Pilot.objects.get().schools.all()) == [primary_schools[0]]
