from django.contrib.auth import views as auth_views
from django.urls import path

from fangkong.accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.password_change, name="password"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_uuid>/revoke", views.revoke_token, name="revoke_token"),
    path("users/", views.user_list, name="users"),
    path("users/new", views.user_create, name="user_create"),
    path("users/<uuid:user_uuid>/", views.user_detail, name="user"),
]

# Login and logout keep Django's global names ("login", "logout") so LOGIN_URL works unchanged.
auth_urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
