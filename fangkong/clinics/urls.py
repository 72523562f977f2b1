from django.urls import path

from fangkong.clinics import views

app_name = "clinics"

urlpatterns = [
    path("", views.home, name="home"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/<uuid:follow_up_uuid>/done", views.follow_up_done, name="follow_up_done"),
    path("<uuid:facility_uuid>/register", views.register, name="register"),
    path("<uuid:facility_uuid>/ledger", views.ledger, name="ledger"),
]
