from django.urls import path

from fangkong.control import views

app_name = "control"

urlpatterns = [
    path("", views.home, name="home"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<uuid:order_uuid>/", views.order_detail, name="order"),
    path("orders/<uuid:order_uuid>/<slug:what>", views.order_action, name="order_action"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("tasks/<uuid:task_uuid>/done", views.task_done, name="task_done"),
    path("transfers/<uuid:transfer_uuid>/arrived", views.transfer_arrived, name="transfer_arrived"),
    path("stays/<uuid:stay_uuid>/check-out", views.stay_check_out, name="stay_check_out"),
    path("protocols/", views.protocols, name="protocols"),
    path("sites/", views.sites, name="sites"),
    path("sites/<uuid:site_uuid>/", views.site_detail, name="site"),
    path("contacts/<uuid:person_uuid>/", views.contact_graph, name="graph"),
    path("contacts/<uuid:person_uuid>/graph.json", views.contact_graph_data, name="graph_data"),
]
