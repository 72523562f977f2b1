from django.urls import path

from fangkong.testing import views

app_name = "testing"

urlpatterns = [
    path("", views.home, name="home"),
    path("open/<str:code>/", views.public_points, name="public_points"),
    path("points/new", views.point_create, name="point_create"),
    path("points/<uuid:point_uuid>/", views.point_detail, name="point_detail"),
    path("points/<uuid:point_uuid>/status", views.point_status, name="point_status"),
    path("rounds/new", views.round_create, name="round_create"),
    path("rounds/<uuid:round_uuid>/", views.round_detail, name="round_detail"),
    path("rounds/<uuid:round_uuid>/untested", views.round_untested, name="round_untested"),
    path("rounds/<uuid:round_uuid>/remind", views.round_remind, name="round_remind"),
    path("collect", views.collect, name="collect"),
    path("tubes/<uuid:tube_uuid>/", views.tube_detail, name="tube_detail"),
    path("tubes/<uuid:tube_uuid>/close", views.tube_close, name="tube_close"),
    path("results/", views.results, name="results"),
    path("results/<uuid:batch_uuid>/", views.batch_detail, name="batch_detail"),
    path("results/<uuid:batch_uuid>/errors.csv", views.batch_errors, name="batch_errors"),
    path("results/<uuid:batch_uuid>/progress", views.batch_progress, name="batch_progress"),
    path("recalls/", views.recalls, name="recalls"),
    path("recalls/<uuid:recall_uuid>/reached", views.recall_reached, name="recall_reached"),
    path("key-groups/", views.key_groups, name="key_groups"),
    path("key-groups/<uuid:group_uuid>/remind", views.key_group_remind, name="key_group_remind"),
    path("recalls/pools/<uuid:tube_uuid>/remind", views.recall_pool_remind, name="recall_pool_remind"),
]
