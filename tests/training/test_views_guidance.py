"""Guidance documents (IV.2.c) in the portal: focal officers create documents and upload
versions (PDF, DOCX, XLSX, PPTX only); earlier versions stay listed and downloadable."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from training import services
from training.models import GuidanceDocument, GuidanceVersion

from .factories import org


def pdf(name="huong-dan.pdf", body=b"%PDF-1.4 tai lieu"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx(name="so-tay.docx"):
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Sổ tay biên mục")
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx(name="mau-bao-cao.xlsx"):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def pptx(name="bai-giang.pptx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


@pytest.fixture
def document(db, media, thuvien):
    doc = GuidanceDocument.objects.create(
        title="Hướng dẫn tổ chức thư viện trường học theo Thông tư 16/2022", publisher=org("TVT")
    )
    for version in ("1.0", "2.0"):
        v = GuidanceVersion(document=doc, version=version, notes=f"Bản {version}", uploaded_by=thuvien)
        v.file.save(f"huong-dan-{version}.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    return doc


def test_focal_officer_creates_a_document_with_its_first_file(client, media, thuvien):
    client.force_login(thuvien)
    url = reverse("training:guidance-create")
    page = client.get(url)
    assert page.status_code == 200 and 'value="1.0"' in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Sổ tay phân loại tài liệu (DDC 23)",
            "audience": GuidanceDocument.Audience.SCHOOL_LIBRARY_STAFF,
            "summary": "Bảng phân loại rút gọn cho sách thiếu nhi.",
            "is_published": "on",
            "version": "1.0",
            "file": docx(),
            "notes": "Ban hành lần đầu",
        },
    )
    doc = GuidanceDocument.objects.get(title="Sổ tay phân loại tài liệu (DDC 23)")
    assert response.status_code == 302 and response["Location"] == reverse("training:guidance-detail", args=[doc.pk])
    assert doc.publisher == thuvien.organisation and doc.is_published
    version = doc.versions.get()
    assert version.version == "1.0" and version.uploaded_by == thuvien and version.file.name.endswith(".docx")
    # Stored under a random name; the original is kept for the download.
    assert version.original_name == "so-tay.docx" and "so-tay" not in " ".join(stored_files(media))


def test_doet_office_uploads_a_new_version_and_old_ones_stay(client, document, vanphong, gddt_lac_son):
    client.force_login(vanphong)
    url = reverse("training:guidance-version-add", args=[document.pk])
    assert 'value="3.0"' in client.get(url).content.decode()  # the next number is suggested
    response = client.post(url, {"version": "3.0", "file": xlsx(), "notes": "Thêm mẫu báo cáo"})
    assert response.status_code == 302
    assert list(document.versions.values_list("version", flat=True)) == ["3.0", "2.0", "1.0"]

    old = document.versions.get(version="1.0")
    client.force_login(gddt_lac_son)
    downloaded = client.get(reverse("training:guidance-download", args=[old.pk]))
    assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF")
    text = client.get(reverse("training:guidance-detail", args=[document.pk])).content.decode()
    for label in ("3.0", "2.0", "1.0", "Thêm mẫu báo cáo"):
        assert label in text
    old.refresh_from_db()
    assert old.download_count == 1
    list_text = client.get(reverse("training:guidance-list")).content.decode()
    assert "Phiên bản 3.0" in list_text and "Xem 2 phiên bản trước" in list_text


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("cai-dat.exe", b"MZ\x90\x00"), "chỉ nhận PDF, Word (.docx), Excel (.xlsx)"),
        (SimpleUploadedFile("ban-cu.doc", b"\xd0\xcf\x11\xe0"), "chỉ nhận PDF"),
        (SimpleUploadedFile("gia-mao.pdf", b"MZ not a pdf"), "không phải là tệp PDF hợp lệ"),
        (SimpleUploadedFile("gia-mao.docx", b"PK\x03\x04 broken"), "không phải là tệp Word (.docx) hợp lệ"),
        (xlsx("bang-tinh-doi-ten.docx"), "không phải là tệp Word (.docx) hợp lệ"),
        (SimpleUploadedFile("rong.pdf", b""), "rỗng"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_written(client, document, media, thuvien, upload, message):
    before = stored_files(media)
    client.force_login(thuvien)
    response = client.post(
        reverse("training:guidance-version-add", args=[document.pk]), {"version": "3.0", "file": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert document.versions.count() == 2 and stored_files(media) == before


def test_a_too_large_file_is_refused(document, media, thuvien, settings):
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(services.ValidationError, match="quá lớn"):
        services.guidance_version_add(document=document, version="3.0", file=big, by=thuvien)
    assert document.versions.count() == 2


def test_a_bad_file_on_create_writes_no_document(client, media, thuvien):
    client.force_login(thuvien)
    response = client.post(
        reverse("training:guidance-create"),
        {"title": "Tài liệu lỗi", "audience": "pupils", "version": "1.0", "file": SimpleUploadedFile("x.zip", b"PK")},
    )
    assert response.status_code == 200 and "không được chấp nhận" in response.content.decode()
    assert not GuidanceDocument.objects.filter(title="Tài liệu lỗi").exists() and stored_files(media) == []


def test_a_version_number_is_not_reused(client, document, media, thuvien):
    client.force_login(thuvien)
    response = client.post(
        reverse("training:guidance-version-add", args=[document.pk]), {"version": "2.0", "file": pptx()}
    )
    assert response.status_code == 200 and document.versions.count() == 2
    assert "Tài liệu đã có phiên bản 2.0; hãy đặt số phiên bản mới." in response.content.decode()


def test_every_allowed_type_is_accepted(document, thuvien):
    for number, upload in enumerate([pdf(), docx(), xlsx(), pptx()], start=3):
        services.guidance_version_add(document=document, version=f"{number}.0", file=upload, by=thuvien)
    assert document.versions.count() == 6


def test_edit_unpublishes_a_document(client, document, thuvien, gddt_lac_son):
    client.force_login(thuvien)
    response = client.post(
        reverse("training:guidance-edit", args=[document.pk]),
        {"title": document.title, "audience": document.audience, "summary": "Đang sửa"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.is_published and document.summary == "Đang sửa"
    client.force_login(gddt_lac_son)
    assert client.get(reverse("training:guidance-detail", args=[document.pk])).status_code == 404


# --- Access: allowed; read-only 403; outsider 404; wrong method 405 -------------------------------


def test_readers_cannot_write_guidance(client, document, media, giamdoc_vhttdl, gddt_lac_son, tv_lac_son):
    for user in (giamdoc_vhttdl, gddt_lac_son, tv_lac_son):
        client.force_login(user)
        assert client.get(reverse("training:guidance-detail", args=[document.pk])).status_code == 200
        assert client.get(reverse("training:guidance-create")).status_code == 403
        assert client.post(reverse("training:guidance-create"), {"title": "X"}).status_code == 403
        add = reverse("training:guidance-version-add", args=[document.pk])
        assert client.post(add, {"version": "9.0", "file": pdf()}).status_code == 403
        assert client.post(reverse("training:guidance-edit", args=[document.pk]), {"title": "X"}).status_code == 403
        text = client.get(reverse("training:guidance-list")).content.decode()
        assert reverse("training:guidance-create") not in text
    assert document.versions.count() == 2 and GuidanceDocument.objects.count() == 1


def test_an_unpublished_document_is_not_found_for_readers(client, media, thuvien, gddt_lac_son):
    draft = services.guidance_create(
        title="Dự thảo hướng dẫn", is_published=False, version="0.1", file=pdf(), by=thuvien
    )
    client.force_login(gddt_lac_son)
    assert client.get(reverse("training:guidance-detail", args=[draft.pk])).status_code == 404
    add = reverse("training:guidance-version-add", args=[draft.pk])
    assert client.post(add, {"version": "0.2", "file": pdf()}).status_code == 404
    assert client.get(reverse("training:guidance-download", args=[draft.versions.get().pk])).status_code == 404
    client.force_login(thuvien)
    page = client.get(reverse("training:guidance-detail", args=[draft.pk]))
    assert page.status_code == 200 and "Dự thảo hướng dẫn" in page.content.decode()


def test_wrong_methods(client, document, thuvien):
    client.force_login(thuvien)
    assert client.post(reverse("training:guidance-detail", args=[document.pk])).status_code == 405
    assert client.put(reverse("training:guidance-create")).status_code == 405
    assert client.delete(reverse("training:guidance-version-add", args=[document.pk])).status_code == 405
    assert client.put(reverse("training:guidance-edit", args=[document.pk])).status_code == 405


def test_guidance_pages_run_bounded_queries(client, document, thuvien, django_assert_max_num_queries):
    for n in range(5):
        GuidanceDocument.objects.create(title=f"Tài liệu {n}", publisher=org("TVT"))
    client.force_login(thuvien)
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("training:guidance-list"))
    assert listing.status_code == 200
    assert all(f"Tài liệu {n}" in listing.content.decode() for n in range(5))
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("training:guidance-detail", args=[document.pk]))
    assert detail.status_code == 200 and document.title in detail.content.decode()


def test_the_admin_refuses_the_same_files(client, document, media, admin_user):
    client.force_login(admin_user)
    before = stored_files(media)
    response = client.post(
        reverse("admin:training_guidanceversion_add"),
        {
            "document": document.pk,
            "version": "9.0",
            "file": SimpleUploadedFile("macro.docm", b"PK\x03\x04"),
            "published_on": "01/12/2026",
        },
    )
    assert response.status_code == 200 and "không được chấp nhận" in response.content.decode()
    assert document.versions.count() == 2 and stored_files(media) == before
