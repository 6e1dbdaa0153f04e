from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
    path("read-all/", views.notifications_read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar-regenerate"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
