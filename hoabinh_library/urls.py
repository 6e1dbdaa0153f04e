from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", include("core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("core.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("directory/", include("directory.urls")),
    path("programs/", include("programs.urls")),
    path("reports/", include("reports.urls")),
    path("training/", include("training.urls")),
    path("circulation/", include("circulation.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
]

# Nothing is served from MEDIA_URL, in DEBUG neither: every upload is private and goes out
# through the view of the page it belongs to (core.files.private_file_response).

# A database that is restarting answers 503 with a message and Retry-After, not a bare 500.
handler500 = "core.views.server_error"

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Quản trị"
