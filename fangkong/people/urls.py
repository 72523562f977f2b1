from django.urls import path

from fangkong.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new", views.person_create, name="create"),
    path("export", views.person_export, name="export"),
    path("exports/<uuid:export_uuid>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:export_uuid>/download", views.export_download, name="export_download"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<uuid:transfer_uuid>/accept", views.transfer_accept, name="transfer_accept"),
    path("transfers/<uuid:transfer_uuid>/decline", views.transfer_decline, name="transfer_decline"),
    path("<uuid:person_uuid>/", views.person_detail, name="detail"),
    path("<uuid:person_uuid>/edit", views.person_edit, name="edit"),
    path("<uuid:person_uuid>/reveal", views.person_reveal, name="reveal"),
]
