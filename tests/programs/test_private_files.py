"""Uploads are private: random stored names, never reachable under /media/, downloaded only
through the page's access rule, under their original name."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from programs import services
from programs.models import AnnualPlan, Meeting, ProgressEvidence
from tests.conftest import org
from tests.programs.factories import ActivityFactory, MeetingFactory, PlanFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def evidence(media, thuvien, vhtt_lac_son):
    """Evidence uploaded by the Lạc Sơn culture office, lead unit of an activity in force."""
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien)
    activity = ActivityFactory(plan=plan, lead_unit=org("VHTT-157"))
    upload = SimpleUploadedFile("Biên bản bàn giao sách – Lạc Sơn.pdf", b"%PDF-1.4 evidence", "application/pdf")
    services.progress_add(
        activity=activity,
        narrative="Đã luân chuyển 300 cuốn",
        reported_on=timezone.localdate(),
        percent=40,
        files=[upload],
        by=vhtt_lac_son,
    )
    return ProgressEvidence.objects.get(progress__activity=activity)


def test_the_file_is_stored_under_a_random_name_and_keeps_its_original(evidence, media):
    stored = evidence.file.name
    assert stored.startswith("programs/evidence/") and stored.endswith(".pdf")
    assert "Lạc" not in stored and "bien" not in stored.lower() and len(stored.rsplit("/", 1)[-1]) == 36
    assert evidence.original_name == "Biên bản bàn giao sách – Lạc Sơn.pdf"
    assert (media / stored).read_bytes() == b"%PDF-1.4 evidence"


def test_old_media_paths_answer_404_for_everyone_even_in_debug(client, evidence, thuvien):
    path = f"/media/{evidence.file.name}"
    with override_settings(DEBUG=True):
        clear_url_caches()
        assert client.get(path).status_code == 404
        client.force_login(thuvien)
        assert client.get(path).status_code == 404
    clear_url_caches()


def test_anonymous_download_is_sent_to_the_login_page(client, evidence):
    response = client.get(reverse("programs:evidence-download", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_own_district_and_focal_officers_download_under_the_original_name(
    client, evidence, vhtt_lac_son, gddt_lac_son, thuvien, giamdoc_sgddt
):
    url = reverse("programs:evidence-download", args=[evidence.pk])
    for user in (vhtt_lac_son, gddt_lac_son, thuvien, giamdoc_sgddt):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response.content == b"%PDF-1.4 evidence"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert quote("Biên bản bàn giao sách – Lạc Sơn.pdf") in disposition
        assert response["X-Content-Type-Options"] == "nosniff"


def test_another_districts_officer_gets_404_and_sees_no_link(client, evidence, outsider, gddt_mai_chau):
    url = reverse("programs:evidence-download", args=[evidence.pk])
    activity_url = reverse("programs:activity-detail", args=[evidence.progress.activity_id])
    for user in (outsider, gddt_mai_chau):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert url not in client.get(activity_url).content.decode()
    client.force_login(evidence.progress.author)
    assert url in client.get(activity_url).content.decode()


def test_school_librarian_of_the_district_does_not_open_the_offices_evidence(client, evidence, tv_lac_son):
    client.force_login(tv_lac_son)
    assert client.get(reverse("programs:evidence-download", args=[evidence.pk])).status_code == 404


def test_minutes_and_programme_text_follow_their_pages(client, media, thuvien, gddt_lac_son, outsider):
    meeting = MeetingFactory(starts_at=timezone.now() - timezone.timedelta(days=2), created_by=thuvien)
    meeting.ends_at = meeting.starts_at + timezone.timedelta(hours=2)
    meeting.save()
    meeting.participant_organisations.add(org("GDDT-157"))
    services.meeting_record_minutes(
        meeting=meeting,
        decisions="Thống nhất lịch luân chuyển",
        minutes_file=SimpleUploadedFile("Biên bản họp.pdf", b"%PDF minutes"),
        by=thuvien,
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.minutes_file_name == "Biên bản họp.pdf" and "Bi" not in meeting.minutes_file.name
    url = reverse("programs:meeting-minutes-file", args=[meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(gddt_lac_son)
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"%PDF minutes"
    assert url in client.get(reverse("programs:meeting-detail", args=[meeting.pk])).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    programme = meeting.programme
    programme.original_file.save("Chương trình phối hợp.pdf", ContentFile(b"%PDF programme"))
    programme.refresh_from_db()
    assert programme.original_file_name == "Chương trình phối hợp.pdf"
    client.force_login(gddt_lac_son)
    response = client.get(reverse("programs:programme-file", args=[programme.pk]))
    assert response.status_code == 200 and response.content == b"%PDF programme"


def test_in_production_nginx_sends_the_bytes_through_an_internal_location(client, evidence, thuvien, settings):
    import django_sendfile.utils

    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    django_sendfile.utils._get_sendfile.cache_clear()
    try:
        client.force_login(thuvien)
        response = client.get(reverse("programs:evidence-download", args=[evidence.pk]))
    finally:
        django_sendfile.utils._get_sendfile.cache_clear()
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{evidence.file.name}"
    assert quote("Lạc Sơn") in response["Content-Disposition"]


def test_the_migration_moves_existing_files_off_their_names(media, evidence):
    from importlib import import_module

    from django.apps import apps

    legacy = "programs/evidence/2025/danh-sach-hoc-sinh.pdf"
    default_storage.save(legacy, ContentFile(b"%PDF legacy"))
    ProgressEvidence.objects.filter(pk=evidence.pk).update(file=legacy, original_name="")
    migration = import_module("programs.migrations.0004_move_uploads_to_random_names")
    migration.forwards(apps, None)
    evidence.refresh_from_db()
    assert evidence.original_name == "danh-sach-hoc-sinh.pdf"
    assert evidence.file.name != legacy and "danh-sach" not in evidence.file.name
    assert not (media / legacy).exists() and (media / evidence.file.name).read_bytes() == b"%PDF legacy"


def test_a_hostile_original_name_cannot_break_the_download_header(client, media, thuvien, vhtt_lac_son):
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien)
    activity = ActivityFactory(plan=plan, lead_unit=org("VHTT-157"))
    name = 'bao-cao"\r\nSet-Cookie: x=1;\u202efdp.exe'
    services.progress_add(
        activity=activity,
        narrative="x",
        reported_on=timezone.localdate(),
        percent=10,
        files=[SimpleUploadedFile(name, b"%PDF hostile")],
        by=vhtt_lac_son,
    )
    evidence = ProgressEvidence.objects.get(progress__activity=activity)
    assert "\r" not in evidence.original_name and "\u202e" not in evidence.original_name
    assert "bao-cao" not in evidence.file.name and "Set-Cookie" not in evidence.file.name
    client.force_login(vhtt_lac_son)
    response = client.get(reverse("programs:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200 and response.content == b"%PDF hostile"
    assert "Set-Cookie" not in response.cookies and "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
