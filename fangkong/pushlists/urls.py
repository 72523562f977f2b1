from django.urls import URLPattern

app_name = "pushlists"

urlpatterns: list[URLPattern] = []
