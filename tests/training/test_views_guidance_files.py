import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from training.models import GuidanceDocument, GuidanceVersion

from .factories import org


@pytest.fixture
def document(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = GuidanceDocument.objects.create(
        title="Hướng dẫn tổ chức thư viện trường học theo Thông tư 16/2022", publisher=org("TVT")
    )
    for version in ("1.0", "2.0"):
        v = GuidanceVersion(document=doc, version=version, notes=f"Bản {version}")
        v.file.save(f"huong-dan-{version}.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    hidden = GuidanceDocument.objects.create(title="Dự thảo chưa công bố", publisher=org("TVT"), is_published=False)
    return doc, hidden


def test_guidance_list_versions_and_download_counts(client, document, gddt_lac_son, thuvien):
    doc, hidden = document
    client.force_login(gddt_lac_son)
    text = client.get(reverse("training:guidance-list")).content.decode()
    assert doc.title in text and hidden.title not in text
    assert "Phiên bản 2.0" in text and "0 lượt tải" in text
    version = doc.versions.get(version="2.0")
    response = client.get(reverse("training:guidance-download", args=[version.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.get(reverse("training:guidance-download", args=[version.pk]))
    version.refresh_from_db()
    assert version.download_count == 2
    assert "2 lượt tải" in client.get(reverse("training:guidance-list")).content.decode()
    assert client.post(reverse("training:guidance-download", args=[version.pk])).status_code == 405
    client.force_login(thuvien)
    assert hidden.title in client.get(reverse("training:guidance-list")).content.decode()


def test_unpublished_document_cannot_be_downloaded_by_districts(client, document, gddt_lac_son, settings):
    _doc, hidden = document
    v = GuidanceVersion(document=hidden, version="0.1")
    v.file.save("du-thao.pdf", ContentFile(b"%PDF"), save=True)
    client.force_login(gddt_lac_son)
    assert client.get(reverse("training:guidance-download", args=[v.pk])).status_code == 404
