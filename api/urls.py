"""/api/v1/ resources (names fixed: clients rely on them), the OpenAPI schema, its docs, and
the token pages of the user's profile. Every URL name is in the `api` namespace."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views, web

app_name = "api"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("reports", views.ReportViewSet, basename="report")
router.register("courses", views.CourseViewSet, basename="course")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("nominations", views.NominationViewSet, basename="nomination")
router.register("collections", views.CollectionViewSet, basename="collection")
router.register("items", views.ItemViewSet, basename="item")
router.register("rotations", views.RotationViewSet, basename="rotation")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("tokens", views.TokenViewSet, basename="token")

v1 = [
    *router.urls,
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("consolidation/", views.ConsolidationView.as_view(), name="consolidation"),
    path("data-values/", views.DataValuesView.as_view(), name="data-values"),
    path("certificates/<str:code>/", views.CertificateView.as_view(), name="certificate"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", web.token_list, name="token-page"),
    path("tokens/new/", web.token_create, name="token-page-create"),
    path("tokens/<int:pk>/revoke/", web.token_revoke, name="token-page-revoke"),
]
