"""Cabinet URLs, relative to the ``CabinetPage`` that mounts them.

Every view here declares ``required_action`` (see ``b2b_cabinet.permissions``);
``tests/security/test_permission_matrix.py`` walks this list against the matrix.
"""

from django.urls import path

from . import catalogue_views, on_behalf_views, team_views, views

app_name = "b2b_cabinet"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("catalogue/", catalogue_views.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/product/<int:pk>/", catalogue_views.ProductView.as_view(), name="catalogue_product"),
    path("cart/add/", catalogue_views.AddToCartView.as_view(), name="cart_add"),
    path("quick-order/", catalogue_views.QuickOrderView.as_view(), name="quick_order"),
    path("price-list/", views.PriceListView.as_view(), name="price_list"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("company/switch/", views.SwitchCompanyView.as_view(), name="switch_company"),
    path("team/", team_views.TeamView.as_view(), name="team"),
    path("team/invite/", team_views.InviteView.as_view(), name="team_invite"),
    path("team/members/<int:pk>/role/", team_views.MemberRoleView.as_view(), name="team_member_role"),
    path("team/members/<int:pk>/deactivate/", team_views.MemberDeactivateView.as_view(),
         name="team_member_deactivate"),
    path("team/invitations/<int:pk>/revoke/", team_views.InvitationRevokeView.as_view(),
         name="team_invitation_revoke"),
    path("invitation/<str:token>/", team_views.AcceptInvitationView.as_view(), name="invitation_accept"),
    path("on-behalf/", on_behalf_views.OnBehalfListView.as_view(), name="on_behalf"),
    path("on-behalf/start/", on_behalf_views.OnBehalfStartView.as_view(), name="on_behalf_start"),
    path("on-behalf/stop/", on_behalf_views.OnBehalfStopView.as_view(), name="on_behalf_stop"),
]
