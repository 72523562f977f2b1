from django.urls import path

from fangkong.vaccination import views

app_name = "vaccination"

urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("imports/", views.imports, name="imports"),
    path("imports/<uuid:import_uuid>/errors", views.import_errors, name="import_errors"),
    path("imports/<uuid:import_uuid>", views.import_detail, name="import"),
    path("imports/<uuid:import_uuid>/progress", views.import_progress, name="import_progress"),
    path("register", views.register, name="register"),
    path("unvaccinated", views.unvaccinated, name="unvaccinated"),
    path("people/<uuid:person_uuid>/reason", views.set_reason, name="set_reason"),
    path("targets", views.targets, name="targets"),
    path("groups/", views.key_groups, name="key_groups"),
    path("groups/people/<uuid:person_uuid>/remove", views.remove_member, name="remove_member"),
    path("sites/", views.sites, name="sites"),
    path("sites/<uuid:site_uuid>/deactivate", views.deactivate_site, name="deactivate_site"),
]
