from django.urls import path

from fangkong.checkpoints import views

app_name = "checkpoints"

urlpatterns = [
    path("", views.checkpoint_list, name="list"),
    path("new", views.checkpoint_create, name="create"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<uuid:referral_uuid>/advance", views.referral_advance, name="referral_advance"),
    path("<uuid:checkpoint_uuid>/", views.checkpoint_detail, name="detail"),
    path("<uuid:checkpoint_uuid>/edit", views.checkpoint_edit, name="edit"),
    path("<uuid:checkpoint_uuid>/start", views.shift_start, name="shift_start"),
    path("<uuid:checkpoint_uuid>/register", views.register, name="register"),
    path("<uuid:checkpoint_uuid>/spot-check", views.spot_check, name="spot_check"),
]
