from django.urls import path

from fangkong.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("run", views.run, name="run"),
    path("outbreaks/declare", views.declare, name="declare"),
    path("outbreaks/<uuid:outbreak_uuid>/close", views.close, name="close"),
]
