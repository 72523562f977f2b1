from django.urls import path

from fangkong.duty import views

app_name = "duty"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("mine", views.my_shifts, name="my_shifts"),
    path("shifts/new", views.shift_create, name="shift_create"),
    path("shifts/<uuid:shift_uuid>/", views.shift_detail, name="shift_detail"),
    path("shifts/<uuid:shift_uuid>/edit", views.shift_edit, name="shift_edit"),
    path("shifts/<uuid:shift_uuid>/cancel", views.shift_cancel, name="shift_cancel"),
    path("shifts/<uuid:shift_uuid>/check-in", views.shift_check_in, name="shift_check_in"),
    path("shifts/<uuid:shift_uuid>/handover", views.shift_handover, name="shift_handover"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/new", views.leave_create, name="leave_create"),
    path("leave/inbox", views.leave_inbox, name="leave_inbox"),
    path("leave/<uuid:leave_uuid>/", views.leave_detail, name="leave_detail"),
    path("leave/<uuid:leave_uuid>/decide", views.leave_decide, name="leave_decide"),
    path("leave/<uuid:leave_uuid>/cancel", views.leave_cancel, name="leave_cancel"),
]
