from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("sap-xep/", views.reorganisation_list, name="reorganisation-list"),
    path("sap-xep/<slug:code>/", views.reorganisation_detail, name="reorganisation-detail"),
]
