from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:pk>/publish/", views.course_publish, name="course-publish"),
    path("courses/<int:pk>/close/", views.course_close, name="course-close"),
    path("courses/<int:pk>/cancel/", views.course_cancel, name="course-cancel"),
    path("courses/<int:pk>/finish/", views.course_finish, name="course-finish"),
    path("courses/<int:pk>/sessions/new/", views.session_add, name="session-add"),
    path("courses/<int:pk>/materials/new/", views.material_add, name="material-add"),
    path("courses/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("courses/<int:pk>/participants.xlsx", views.export_participants, name="export-participants"),
    path("courses/<int:pk>/attendance.xlsx", views.export_attendance, name="export-attendance"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("sessions/<int:pk>/attendance/", views.attendance_sheet, name="attendance"),
    path(
        "sessions/<int:pk>/attendance/<int:nomination_pk>/",
        views.attendance_toggle,
        name="attendance-toggle",
    ),
    path("materials/<int:pk>/", views.material_download, name="material-download"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/approve/", views.nomination_approve, name="nomination-approve"),
    path("nominations/<int:pk>/decline/", views.nomination_decline, name="nomination-decline"),
    path("nominations/<int:pk>/cancel/", views.nomination_cancel, name="nomination-cancel"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate-revoke"),
    path("verify/", views.verify, name="verify-form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_create, name="staff-create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("guidance/", views.guidance_list, name="guidance-list"),
    path("guidance/new/", views.guidance_create, name="guidance-create"),
    path("guidance/<int:pk>/", views.guidance_detail, name="guidance-detail"),
    path("guidance/<int:pk>/edit/", views.guidance_edit, name="guidance-edit"),
    path("guidance/<int:pk>/versions/new/", views.guidance_version_add, name="guidance-version-add"),
    path("guidance/versions/<int:pk>/download/", views.guidance_download, name="guidance-download"),
]
