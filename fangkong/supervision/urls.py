from django.urls import path

from fangkong.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new", views.inspection_create, name="inspection_create"),
    path("inspections/<uuid:inspection_uuid>/", views.inspection_detail, name="inspection"),
    path("items/<uuid:item_uuid>/", views.item_detail, name="item"),
    path("items/<uuid:item_uuid>/report", views.item_report, name="item_report"),
    path("items/<uuid:item_uuid>/accept", views.item_review, {"decision": "accept"}, name="item_accept"),
    path("items/<uuid:item_uuid>/return", views.item_review, {"decision": "return"}, name="item_return"),
    path("evidence/<uuid:evidence_uuid>", views.evidence_file, name="evidence"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new", views.notice_create, name="notice_create"),
    path("notices/<uuid:notice_uuid>/", views.notice_detail, name="notice"),
    path("notices/<uuid:notice_uuid>/pdf", views.notice_pdf, name="notice_pdf"),
    path("public/notices/", views.public_notices, name="public_notices"),
    path("public/notices/<uuid:notice_uuid>/", views.public_notice, name="public_notice"),
]
