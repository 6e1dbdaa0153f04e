from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("lich-su/<slug:kind>/<int:pk>/", views.object_history, name="object-history"),
]
