from django.urls import path

from fangkong.supplies import views

app_name = "supplies"

urlpatterns = [
    path("", views.home, name="home"),
    path("warehouses/new", views.warehouse_create, name="warehouse_create"),
    path("warehouses/<uuid:warehouse_uuid>/", views.warehouse, name="warehouse"),
    path("warehouses/<uuid:warehouse_uuid>/receive", views.receive, name="receive"),
    path("warehouses/<uuid:warehouse_uuid>/issue", views.issue, name="issue"),
    path("warehouses/<uuid:warehouse_uuid>/transfer", views.transfer, name="transfer"),
    path("warehouses/<uuid:warehouse_uuid>/threshold", views.threshold, name="threshold"),
    path("warehouses/<uuid:warehouse_uuid>/lots/<uuid:lot_uuid>/count", views.count, name="count"),
]
