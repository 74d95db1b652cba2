"""Cabinet views: login, logout and the dashboard."""

import tempfile

from django.contrib.auth import views as auth_views
from django.http import FileResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from b2b_cabinet.models import Order

from .company import CompanyRequiredMixin, pricing_context
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


class PriceListView(CompanyRequiredMixin, View):
    """The company's personal price list as .xlsx: its assortment, its prices, stock it can get."""

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
