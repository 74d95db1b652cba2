"""Cabinet views: login, logout, setting a password from an emailed link, and the dashboard."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from b2b_cabinet.models import Order

from .company import CompanyRequiredMixin
from .forms import EmailAuthenticationForm


class CabinetPageContextMixin:
    """Puts the cabinet page in the template context as ``page`` (for menus and links)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page", self.request.cabinet_page)
        return super().get_context_data(**kwargs)


class LoginView(CabinetPageContextMixin, auth_views.LoginView):
    """Sign in with email and password; lands on the dashboard."""

    template_name = "b2b_cabinet/cabinet/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return self.request.cabinet_page.url


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and return to the login page."""

    def get_success_url(self):
        return self.request.cabinet_page.cabinet_url("login")


class SetPasswordView(CabinetPageContextMixin, auth_views.PasswordResetConfirmView):
    """Choose a password from the link emailed to a new owner (Django's password-reset token).

    The token is single-use (it depends on the password hash and the last login) and expires after
    ``PASSWORD_RESET_TIMEOUT``. As in Django's view, the first visit moves the token into the session
    and redirects to ``…/set/`` so the token does not leak through the Referer header.
    """

    template_name = "b2b_cabinet/cabinet/set_password.html"
    reset_url_token = "set"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Sign in with your email and the new password."))
        return response

    def get_success_url(self):
        return self.request.cabinet_page.cabinet_url("login")


class DashboardView(CompanyRequiredMixin, CabinetPageContextMixin, TemplateView):
    """The company's dashboard: company, contract, sales manager, recent orders."""

    template_name = "b2b_cabinet/cabinet/dashboard.html"

    def get_context_data(self, **kwargs):
        company = self.request.company
        contract = company.default_contract
        orders = Order.objects.for_company(company).select_related("contract")[:10]
        return super().get_context_data(
            company=company,
            membership=self.request.membership,
            contract=contract,
            manager=contract.sales_manager if contract else company.manager,
            legal_entities=company.legal_entities.all(),
            recent_orders=orders,
            **kwargs,
        )
