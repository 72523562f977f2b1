from django.urls import path

from fangkong.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new", views.person_create, name="create"),
    path("export", views.person_export, name="export"),
    path("exports/<uuid:export_uuid>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:export_uuid>/download", views.export_download, name="export_download"),
    path("<uuid:person_uuid>/", views.person_detail, name="detail"),
    path("<uuid:person_uuid>/edit", views.person_edit, name="edit"),
    path("<uuid:person_uuid>/reveal", views.person_reveal, name="reveal"),
]
