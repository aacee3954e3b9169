from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/link/", views.LoginLinkRequestView.as_view(), name="login_link_request"),
    path("login/link/<str:token>/", views.LoginLinkView.as_view(), name="login_link"),
    path("account/", views.AccountView.as_view(), name="account"),
]
