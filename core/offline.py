"""The installable web app: what the service worker keeps and how the manifest names the portal.

The service worker is rendered by the portal (core.views.service_worker) rather than served
from /static/ because it must live at the root to control every page, and because the list of
assets it keeps uses the names the static storage gives them (hashed in production)."""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

# Everything the shell and the report form need to be drawn without a network.
SHELL_ASSETS = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "css/portal.css",
    "js/portal.js",
    "js/offline.js",
    "img/logo.svg",
    "img/favicon.svg",
    "img/icons/icon-192.png",
    "reports/report_form.js",
]

# Pages kept for use without a network (regular expressions on the path): the home page,
# the report list and the report pages. Other pages are not kept: they hold nothing a
# district officer types in the field.
OFFLINE_PAGES = [r"^/$", r"^/reports/$", r"^/reports/\d+/$"]

# How long a page may take on a patchy network before its kept copy is shown instead.
PAGE_TIMEOUT_MS = 5000


def _version() -> str:
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        path = finders.find(name)
        with open(path, "rb") as handle:
            digest.update(handle.read())
    digest.update(json.dumps(OFFLINE_PAGES).encode())
    return digest.hexdigest()[:12]


_cached_version = cache(_version)


def service_worker_config() -> str:
    """The settings of the service worker as a JSON object (a JavaScript literal)."""
    version = _version() if settings.DEBUG else _cached_version()
    return json.dumps(
        {
            "version": version,
            "assets": [static(name) for name in SHELL_ASSETS],
            "offline": reverse("core:offline"),
            "logout": reverse("logout"),
            "static": settings.STATIC_URL,
            "pages": OFFLINE_PAGES,
            "timeout": PAGE_TIMEOUT_MS,
        }
    )


def manifest(*, name: str, short_name: str, description: str) -> dict:
    """The web app manifest: the portal opens at its home page, on its own, like an app."""
    return {
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": "vi",
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b5d6b",
        "icons": [
            {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
