from django.urls import path

from . import registry, views

app_name = "core"

urlpatterns = [
    path("", registry.home_view, name="home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("ngoai-tuyen/", views.offline_page, name="offline"),
    path("lich-su/<slug:kind>/<int:pk>/", views.object_history, name="object-history"),
]
