from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("coverage/", views.coverage, name="coverage"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/activities/new/", views.activity_create, name="activity-create"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/decide/", views.plan_decide, name="plan-decide"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan-revise"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan-close"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("activities/<int:pk>/progress/", views.progress_add, name="progress-add"),
    path("local-plans/", views.local_plan_list, name="local-plan-list"),
    path("local-plans/new/", views.local_plan_create, name="local-plan-create"),
    path("local-plans/<int:pk>/", views.local_plan_detail, name="local-plan-detail"),
    path("local-plans/<int:pk>/activities/", views.local_activity_add, name="local-activity-add"),
    path("local-plans/<int:pk>/submit/", views.local_plan_submit, name="local-plan-submit"),
    path("local-activities/<int:pk>/edit/", views.local_activity_edit, name="local-activity-edit"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_calendar, name="meeting-ics"),
    path("action-items/<int:pk>/done/", views.action_item_toggle, name="action-item-toggle"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("recommendations/<int:pk>/follow-up/", views.recommendation_follow_up, name="recommendation-follow-up"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
]
