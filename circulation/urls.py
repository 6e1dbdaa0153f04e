from django.urls import path

from . import views

app_name = "circulation"

urlpatterns = [
    path("", views.collection_list, name="collection-list"),
    path("collections/new/", views.collection_create, name="collection-create"),
    path("collections/<int:pk>/", views.collection_detail, name="collection-detail"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection-edit"),
    path("collections/<int:pk>/archive/", views.collection_archive, name="collection-archive"),
    path("collections/<int:pk>/restore/", views.collection_restore, name="collection-restore"),
    path("collections/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/remove/", views.item_remove, name="item-remove"),
    path("collections/<int:pk>/import/", views.import_upload, name="import-upload"),
    path("collections/<int:pk>/rotations/new/", views.rotation_create, name="rotation-create"),
    path("collections/<int:pk>/routes/new/", views.route_create, name="route-create"),
    path("imports/template.xlsx", views.import_template, name="import-template"),
    path("imports/<int:pk>/", views.import_preview, name="import-preview"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/reread/", views.import_reread, name="import-reread"),
    path("imports/<int:pk>/discard/", views.import_discard, name="import-discard"),
    path("rotations/", views.rotation_list, name="rotation-list"),
    path("rotations/<int:pk>/", views.rotation_detail, name="rotation-detail"),
    path("rotations/<int:pk>/dispatch/", views.rotation_dispatch, name="rotation-dispatch"),
    path("rotations/<int:pk>/receive/", views.rotation_receive, name="rotation-receive"),
    path("rotations/<int:pk>/return/", views.rotation_return, name="rotation-return"),
    path("rotations/<int:pk>/check/", views.rotation_check, name="rotation-check"),
    path("rotations/<int:pk>/cancel/", views.rotation_cancel, name="rotation-cancel"),
    path("rotations/<int:pk>/handover.pdf", views.handover_pdf, name="handover-pdf"),
    path("rotations/<int:pk>/handover.xlsx", views.handover_xlsx, name="handover-xlsx"),
    path("routes/<int:pk>/", views.route_detail, name="route-detail"),
    path("discrepancies/", views.discrepancy_list, name="discrepancy-list"),
    path("statistics/", views.statistics, name="statistics"),
]
