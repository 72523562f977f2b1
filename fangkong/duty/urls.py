from django.urls import URLPattern

app_name = "duty"

urlpatterns: list[URLPattern] = []
