from django.urls import path

from fangkong.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.places, name="places"),
    path("places/<uuid:place_uuid>/", views.place, name="place"),
    path("teams/", views.teams, name="teams"),
    path("teams/<uuid:team_uuid>/", views.team, name="team"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<uuid:task_uuid>/", views.task, name="task"),
    path("photos/<str:kind>/<uuid:record_uuid>/", views.photo, name="photo"),
    path("offline/", views.offline, name="offline"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
