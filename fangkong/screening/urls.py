from django.urls import path

from fangkong.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.home, name="home"),
    path("returnees/", views.returnee_list, name="returnees"),
    path("returnees/new", views.returnee_create, name="returnee_create"),
    path("returnees/<uuid:report_uuid>/", views.returnee_detail, name="returnee_detail"),
    path("r/<str:village_code>/", views.self_report, name="self_report"),
    path("r/<str:village_code>/done/", views.self_report_done, name="self_report_done"),
    path("links/", views.self_report_links, name="links"),
    path("risk-areas/", views.risk_areas, name="risk_areas"),
    path("risk-areas/paste", views.risk_areas_paste, name="risk_areas_paste"),
    path("risk-areas/import", views.risk_areas_import, name="risk_areas_import"),
    path("risk-areas/<uuid:area_uuid>/lift", views.risk_area_lift, name="risk_area_lift"),
    path("rules/", views.rules, name="rules"),
    path("rules/new", views.rule_edit, name="rule_create"),
    path("rules/<uuid:rule_uuid>/", views.rule_edit, name="rule_edit"),
    path("measures/new", views.measure_edit, name="measure_create"),
    path("measures/<slug:code>/", views.measure_edit, name="measure_edit"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<uuid:campaign_uuid>/", views.campaign_detail, name="campaign"),
    path(
        "campaigns/<uuid:campaign_uuid>/households/<uuid:household_uuid>/visit",
        views.household_visit,
        name="household_visit",
    ),
]
