from django.urls import path

from fangkong.notify import views

app_name = "notify"

urlpatterns = [
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<uuid:campaign_uuid>/", views.campaign_detail, name="campaign_detail"),
    path("receipts/<str:provider>", views.receipts, name="receipts"),
]
