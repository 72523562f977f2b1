from django.urls import path

from fangkong.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/grids", views.create_grid, name="create_grid"),
    path("<str:code>/workers", views.assign_worker, name="assign_worker"),
]
