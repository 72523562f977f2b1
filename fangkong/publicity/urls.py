from django.urls import path

from fangkong.publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.home, name="home"),
]
