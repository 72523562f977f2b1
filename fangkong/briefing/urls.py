from django.urls import URLPattern

app_name = "briefing"

urlpatterns: list[URLPattern] = []
