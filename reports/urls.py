from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("ky/mo-ky/", views.period_open, name="period-open"),
    path("ky/<int:pk>/sua/", views.period_edit, name="period-edit"),
    path("ky/<int:pk>/mo-lai/", views.period_reopen, name="period-reopen"),
    path("ky/<int:pk>/lap-bao-cao/", views.period_start, name="period-start"),
    path("ky/<int:pk>/tien-do/", views.period_completeness, name="period-completeness"),
    path("ky/<int:pk>/tong-hop/", views.period_consolidation, name="period-consolidation"),
    path("ky/<int:pk>/theo-dia-ban/", views.period_territory, name="period-territory"),
    path("ky/<int:pk>/tong-hop.xlsx", views.consolidation_xlsx, name="consolidation-xlsx"),
    path("ky/<int:pk>/bao-cao-tong-hop.docx", views.consolidation_docx, name="consolidation-docx"),
    path("nam/<int:year>/", views.year_review, name="year-review"),
    path("nam/<int:year>/tong-hop.xlsx", views.year_review_xlsx, name="year-review-xlsx"),
    path("nam/<int:year>/bao-cao-so-ket.docx", views.year_review_docx, name="year-review-docx"),
    path("giai-doan/<int:pk>/", views.programme_review, name="programme-review"),
    path("giai-doan/<int:pk>/tong-hop.xlsx", views.programme_review_xlsx, name="programme-review-xlsx"),
    path("giai-doan/<int:pk>/bao-cao-tong-ket.docx", views.programme_review_docx, name="programme-review-docx"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/luu/", views.report_save, name="report-save"),
    path("<int:pk>/so-lieu.json", views.report_state, name="report-state"),
    path("<int:pk>/nop/", views.report_submit, name="report-submit"),
    path("<int:pk>/tiep-nhan/", views.report_accept, name="report-accept"),
    path("<int:pk>/tra-lai/", views.report_return, name="report-return"),
    path("<int:pk>/mo-lai/", views.report_reopen, name="report-reopen"),
    path("<int:pk>/mau-excel.xlsx", views.report_template, name="report-template"),
    path("<int:pk>/tai-len/", views.report_upload, name="report-upload"),
]
