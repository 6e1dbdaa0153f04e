import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from training import services
from training.certificates import render_pdf, verification_url
from training.models import Nomination

from .factories import CourseFactory, SessionFactory, StaffFactory, school_in


@pytest.fixture
def certificate(db, gddt_mai_chau, thuvien):
    today = timezone.localdate()
    course = CourseFactory(title="Tập huấn nghiệp vụ thư viện trường học năm 2026", capacity=5)
    session = SessionFactory(course=course, date=today - dt.timedelta(days=2))
    staff = StaffFactory(full_name="Hà Thị Nguyệt", school=school_in("156", name="Trường Tiểu học Chiềng Châu"))
    nomination = services.nomination_create(course=course, staff=staff, by=gddt_mai_chau)
    services.nomination_approve(nomination=nomination, by=thuvien)
    services.attendance_mark(session=session, nomination=nomination, present=True, by=thuvien)
    services.course_finish(course=course, by=thuvien)
    return Nomination.objects.get(pk=nomination.pk).certificate


def test_verification_page_valid_code_without_login(client, certificate):
    response = client.get(reverse("training:verify", args=[certificate.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Giấy chứng nhận hợp lệ" in text
    assert "Hà Thị Nguyệt" in text
    assert "Tập huấn nghiệp vụ thư viện trường học năm 2026" in text
    assert "Thư viện tỉnh Hòa Bình" in text
    assert "0912" not in text  # no contact details in public


def test_verification_accepts_lower_case_and_the_lookup_form(client, certificate):
    response = client.get(reverse("training:verify-form"), {"code": f" {certificate.code.lower()} "})
    assert response.status_code == 302 and response["Location"] == reverse("training:verify", args=[certificate.code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Giấy chứng nhận hợp lệ" in page.content.decode() and "Hà Thị Nguyệt" in page.content.decode()
    empty = client.get(reverse("training:verify-form"), {"code": ""})
    assert empty.status_code == 400 and 'name="code"' in empty.content.decode()


def test_verification_page_unknown_code(client, db):
    response = client.get(reverse("training:verify", args=["ZZZZ9999"]))
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.content.decode()


def test_verification_page_revoked_code(client, certificate, thuvien, gddt_mai_chau):
    with pytest.raises(Exception, match="lý do"):
        services.certificate_revoke(certificate=certificate, by=thuvien, reason=" ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, by=gddt_mai_chau, reason="Sai tên")
    services.certificate_revoke(certificate=certificate, by=thuvien, reason="Cấp nhầm người")
    response = client.get(reverse("training:verify", args=[certificate.code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "đã bị thu hồi" in text and "Cấp nhầm người" in text
    assert "Giấy chứng nhận hợp lệ" not in text


def test_expired_certificate_shows_as_expired(client, certificate):
    certificate.valid_until = timezone.localdate() - dt.timedelta(days=1)
    certificate.save()
    text = client.get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert "đã hết hiệu lực" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_certificate_pdf_renders_and_its_qr_opens_the_verification_page(certificate, tmp_path):
    import zxingcpp
    from PIL import Image

    pdf = render_pdf(certificate)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "c.pdf", "c"], cwd=tmp_path, check=True)
    image = Image.open(tmp_path / "c.png")
    assert image.width > image.height  # landscape
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [verification_url(certificate.code)]
    assert verification_url(certificate.code).endswith(f"/training/verify/{certificate.code}/")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "c.pdf", "-"], cwd=tmp_path, check=True, capture_output=True).stdout
        text = text.decode()
        assert "GIẤY CHỨNG NHẬN" in text and "Hà Thị Nguyệt" in text and "Độc lập – Tự do – Hạnh phúc" in text
    shutil.copy(tmp_path / "c.png", "/tmp/hb_training_certificate.png")


def test_certificate_pdf_view_access(client, certificate, gddt_mai_chau, gddt_lac_son, thuvien):
    url = reverse("training:certificate-pdf", args=[certificate.pk])
    client.force_login(gddt_mai_chau)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and certificate.code in response["Content-Disposition"]
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 404
    client.force_login(thuvien)
    assert client.post(url).status_code == 405


def test_the_cached_year_summary_follows_a_certificate_issued_and_revoked(certificate, thuvien):
    """The leaders' home figures are cached (core.versioned "training"): an issue and a
    revocation are counted on the next visit."""
    from training.selectors import year_summary

    year = certificate.issued_on.year
    issued = year_summary(year)["certificates"]
    assert issued >= 1
    assert year_summary(year)["certificates"] == issued
    services.certificate_revoke(certificate=certificate, by=thuvien, reason="Cấp nhầm người")
    assert year_summary(year)["certificates"] == issued - 1
