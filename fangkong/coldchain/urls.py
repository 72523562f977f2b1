from django.urls import path

from fangkong.coldchain import views

app_name = "coldchain"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprises/new", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<uuid:enterprise_uuid>/", views.enterprise_detail, name="enterprise_detail"),
    path(
        "enterprises/<uuid:enterprise_uuid>/workers/<uuid:person_uuid>/remove",
        views.worker_remove,
        name="worker_remove",
    ),
    path("lots/new", views.lot_create, name="lot_create"),
    path("mail/new", views.mail_create, name="mail_create"),
    path("lots/<uuid:lot_uuid>/", views.lot_detail, name="lot_detail"),
    path("lots/<uuid:lot_uuid>/<str:step>", views.lot_step, name="lot_step"),
]
