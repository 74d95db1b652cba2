"""Cabinet URLs, relative to the ``CabinetPage`` that mounts them."""

from django.urls import path

from . import views

app_name = "b2b_cabinet"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
