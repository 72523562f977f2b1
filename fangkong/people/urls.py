from django.urls import path

from fangkong.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new", views.person_create, name="create"),
    path("export.csv", views.person_export, name="export"),
    path("<uuid:person_uuid>/", views.person_detail, name="detail"),
    path("<uuid:person_uuid>/edit", views.person_edit, name="edit"),
    path("<uuid:person_uuid>/reveal", views.person_reveal, name="reveal"),
]
