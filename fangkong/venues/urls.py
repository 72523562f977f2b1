from django.urls import path

from fangkong.venues import views

app_name = "venues"

urlpatterns = [
    path("", views.home, name="home"),
    path("new", views.venue_create, name="venue_create"),
    path("notices/new", views.notice_create, name="notice_create"),
    path("events/", views.event_list, name="events"),
    path("events/new", views.event_create, name="event_create"),
    path("events/<uuid:event_uuid>/", views.event_detail, name="event"),
    path("events/<uuid:event_uuid>/approve", views.event_decide, {"approve": True}, name="event_approve"),
    path("events/<uuid:event_uuid>/refuse", views.event_decide, {"approve": False}, name="event_refuse"),
    path("events/<uuid:event_uuid>/check", views.event_check, name="event_check"),
]
