"""Cabinet views: sign in (throttled), sign out, password reset, the dashboard and the company switcher."""

import tempfile

from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Company, Order
from b2b_cabinet.permissions import PUBLIC, SIGNED_IN, Action

from . import throttle
from .company import RoleRequiredMixin, pricing_context, stop_on_behalf, switch_company
from .forms import CabinetPasswordResetForm, CompanyChoiceForm, EmailAuthenticationForm


class CabinetPageContextMixin:
    """Puts the cabinet page in the template context as ``page`` (for menus and links)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page", self.request.cabinet_page)
        return super().get_context_data(**kwargs)


class LoginView(RoleRequiredMixin, CabinetPageContextMixin, auth_views.LoginView):
    """Sign in with email and password; lands on the dashboard. Failed attempts are throttled."""

    required_action = PUBLIC
    template_name = "b2b_cabinet/cabinet/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return self.request.cabinet_page.url

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")
        if throttle.is_blocked(request, email):
            # Refuse before checking the password, so guessing stays blocked even with the right one.
            message = _("Too many failed sign-in attempts. Try again in %(minutes)d minutes.") % {
                "minutes": max(1, b2b_settings.LOGIN_FAILURE_WINDOW // 60)
            }
            form = self.get_form_class()(request, initial={"username": email})
            response = self.render_to_response(self.get_context_data(form=form, throttle_message=message))
            response.status_code = 429
            response["Retry-After"] = str(b2b_settings.LOGIN_FAILURE_WINDOW)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.note_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.reset(self.request, self.request.POST.get("username", ""))
        return super().form_valid(form)


class LogoutView(RoleRequiredMixin, auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and return to the login page; ends any on-behalf session."""

    required_action = PUBLIC

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            stop_on_behalf(request)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return self.request.cabinet_page.cabinet_url("login")


class PasswordResetView(RoleRequiredMixin, CabinetPageContextMixin, auth_views.PasswordResetView):
    """Ask for a reset link by email. Known or not, every address gets the same answer (no enumeration)."""

    required_action = PUBLIC
    template_name = "b2b_cabinet/cabinet/password_reset_form.html"
    form_class = CabinetPasswordResetForm
    email_template_name = "b2b_cabinet/cabinet/emails/password_reset.txt"
    subject_template_name = "b2b_cabinet/cabinet/emails/password_reset_subject.txt"

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if throttle.is_blocked(self.request, email, scope="reset"):
            # Same answer as always (no enumeration, no hint of the throttle), but no more emails.
            return HttpResponseRedirect(self.get_success_url())
        throttle.note_failure(self.request, email, scope="reset")
        self.extra_email_context = {"cabinet_page": self.request.cabinet_page}
        return super().form_valid(form)

    def get_success_url(self):
        return self.request.cabinet_page.cabinet_url("password_reset_done")


class PasswordResetDoneView(RoleRequiredMixin, CabinetPageContextMixin, auth_views.PasswordResetDoneView):
    """"If the address is registered, we sent a link."""

    required_action = PUBLIC
    template_name = "b2b_cabinet/cabinet/password_reset_done.html"


class PasswordResetConfirmView(RoleRequiredMixin, CabinetPageContextMixin, auth_views.PasswordResetConfirmView):
    """The link from the email: choose a new password (the token is single-use by design of Django's)."""

    required_action = PUBLIC
    template_name = "b2b_cabinet/cabinet/password_reset_confirm.html"

    def get_success_url(self):
        return self.request.cabinet_page.cabinet_url("password_reset_complete")


class PasswordResetCompleteView(RoleRequiredMixin, CabinetPageContextMixin, auth_views.PasswordResetCompleteView):
    """The password is changed: sign in with it."""

    required_action = PUBLIC
    template_name = "b2b_cabinet/cabinet/password_reset_complete.html"


class DashboardView(RoleRequiredMixin, CabinetPageContextMixin, TemplateView):
    """The company's dashboard: company, contract, sales manager, recent orders."""

    required_action = Action.VIEW_DASHBOARD
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


class PriceListView(RoleRequiredMixin, View):
    """The company's personal price list as .xlsx: its assortment, its prices, stock it can get."""

    required_action = Action.DOWNLOAD_PRICE_LIST

    def get(self, request):
        from b2b_cabinet.pricelist import write_price_list
        from b2b_cabinet.text import slugify_ru

        # A spooled file keeps small lists in memory and spills big ones (150k rows ≈ 10 MB) to disk.
        target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        write_price_list(pricing_context(request), target, title=request.company.name)
        target.seek(0)
        slug = slugify_ru(request.company.name) or request.company.pk
        name = f"price-list-{slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
        return FileResponse(target, as_attachment=True, filename=name,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class SwitchCompanyView(RoleRequiredMixin, View):
    """POST a company id: act for that company from now on. Only the user's own companies (else 404)."""

    required_action = SIGNED_IN
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CompanyChoiceForm(request.POST)
        if not form.is_valid():
            raise Http404
        company = get_object_or_404(Company.objects.for_user(request.user), pk=form.cleaned_data["company"])
        switch_company(request, company)
        return HttpResponseRedirect(request.cabinet_page.url)
