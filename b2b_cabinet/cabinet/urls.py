"""Cabinet URLs, relative to the ``CabinetPage`` that mounts them.

Every view here declares ``required_action`` (see ``b2b_cabinet.permissions``);
``tests/security/test_permission_matrix.py`` walks this list against the matrix.
"""

from django.urls import path

from . import (
    cart_views,
    catalogue_views,
    finance_views,
    list_views,
    notification_views,
    on_behalf_views,
    order_views,
    team_views,
    views,
)

app_name = "b2b_cabinet"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("catalogue/", catalogue_views.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/product/<int:pk>/", catalogue_views.ProductView.as_view(), name="catalogue_product"),
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
    path("cart/", cart_views.CartView.as_view(), name="cart"),
    path("cart/add/", cart_views.CartAddView.as_view(), name="cart_add"),
    path("cart/lines/<int:pk>/", cart_views.CartLineUpdateView.as_view(), name="cart_line_update"),
    path("cart/lines/<int:pk>/remove/", cart_views.CartLineRemoveView.as_view(), name="cart_line_remove"),
    path("checkout/", cart_views.CheckoutView.as_view(), name="checkout"),
    path("orders/", order_views.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", order_views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/cancel/", order_views.OrderCancelView.as_view(), name="order_cancel"),
    path("orders/<int:pk>/repeat/", order_views.OrderRepeatView.as_view(), name="order_repeat"),
    path("lists/", list_views.SavedListsView.as_view(), name="lists"),
    path("lists/favourite/", list_views.FavouriteToggleView.as_view(), name="favourite_toggle"),
    path("lists/<int:pk>/", list_views.SavedListDetailView.as_view(), name="list_detail"),
    path("lists/<int:pk>/to-cart/", list_views.SavedListToCartView.as_view(), name="list_to_cart"),
    path("lists/<int:pk>/delete/", list_views.SavedListDeleteView.as_view(), name="list_delete"),
    path("lists/<int:pk>/lines/<int:line_pk>/remove/", list_views.SavedListLineRemoveView.as_view(),
         name="list_line_remove"),
    path("orders/<int:pk>/invoice/", finance_views.InvoiceIssueView.as_view(), name="order_invoice"),
    path("finance/", finance_views.FinanceDashboardView.as_view(), name="finance"),
    path("finance/invoices/", finance_views.InvoiceListView.as_view(), name="finance_invoices"),
    path("finance/invoices/<int:pk>/", finance_views.InvoiceDetailView.as_view(), name="finance_invoice_detail"),
    path("finance/invoices/<int:pk>/pdf/", finance_views.InvoicePdfView.as_view(), name="finance_invoice_pdf"),
    path("finance/invoices/<int:pk>/pay/", finance_views.InvoicePayView.as_view(), name="finance_invoice_pay"),
    path("finance/pay/<str:token>/", finance_views.OnlinePaymentView.as_view(), name="finance_online_payment"),
    path("finance/payments/", finance_views.PaymentListView.as_view(), name="finance_payments"),
    path("finance/shipments/", finance_views.ShipmentListView.as_view(), name="finance_shipments"),
    path("finance/shipments/<int:pk>/documents/<int:doc_pk>/", finance_views.ShipmentDocumentView.as_view(),
         name="finance_shipment_document"),
    path("finance/statement/", finance_views.StatementView.as_view(), name="finance_statement"),
    path("notifications/", order_views.NotificationListView.as_view(), name="notifications"),
    path("notifications/settings/", notification_views.NotificationSettingsView.as_view(),
         name="notification_settings"),
]
