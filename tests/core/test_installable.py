"""The installable web app: service worker at the root, manifest, offline page, shell indicator."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_at_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert "/static/reports/report_form.js" in config["assets"]
    assert "/static/vendor/bootstrap/bootstrap.min.css" in config["assets"]
    assert config["offline"] == reverse("core:offline") and config["logout"] == reverse("logout")
    assert r"^/reports/\d+/$" in config["pages"]


def test_service_worker_version_follows_the_assets(client, settings, tmp_path):
    first = client.get("/sw.js").content
    assert client.get("/sw.js").content == first  # stable while nothing changes
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "portal.js").write_text("// changed\n")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    settings.DEBUG = True
    try:
        assert client.get("/sw.js").content != first
    finally:
        finders.get_finder.cache_clear()


def test_manifest_names_the_portal_with_icons_that_exist(client):
    response = client.get(reverse("core:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["display"] == "standalone" and data["start_url"] == "/" and data["lang"] == "vi"
    assert data["short_name"] == "Cổng Thư viện HB"
    from django.contrib.staticfiles import finders
    from PIL import Image

    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_offline_page_names_no_one(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    page = client.get(reverse("core:offline")).content.decode()
    assert "Không có kết nối mạng" in page
    assert gddt_lac_son.get_full_name() not in page  # the copy is shared by whoever uses the device


def test_shell_shows_the_network_indicator_to_signed_in_users(client, gddt_lac_son):
    assert 'id="net-status"' not in client.get(reverse("login")).content.decode()
    client.force_login(gddt_lac_son)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="net-status"' in page and 'rel="manifest"' in page and "js/offline.js" in page
