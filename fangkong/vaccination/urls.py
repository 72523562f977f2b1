from django.urls import path

from fangkong.vaccination import views

app_name = "vaccination"

urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("imports/", views.imports, name="imports"),
    path("imports/<uuid:import_uuid>/errors", views.import_errors, name="import_errors"),
    path("register", views.register, name="register"),
    path("unvaccinated", views.unvaccinated, name="unvaccinated"),
    path("people/<uuid:person_uuid>/reason", views.set_reason, name="set_reason"),
    path("targets", views.targets, name="targets"),
]
