"""Finance pages: dashboard, invoices (list, detail, PDF, issue, pay online), payments, shipments, акт сверки.

Every object is looked up through ``for_company(request.company)``, so another company's invoice,
payment page, shipment document or statement answers 404. Files (PDF, XLSX, УПД) go out through
these views only. Access follows the permission matrix: ``finance.view`` to see, ``finance.pay`` to
issue and pay invoices.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from b2b_cabinet import finance
from b2b_cabinet.exceptions import FinanceError
from b2b_cabinet.finance import online
from b2b_cabinet.finance.pdf import invoice_pdf
from b2b_cabinet.finance.statement_pdf import statement_pdf
from b2b_cabinet.finance.statement_xlsx import statement_xlsx
from b2b_cabinet.finance.statements import build_statement
from b2b_cabinet.models import (
    Invoice,
    InvoiceStatus,
    OnlinePayment,
    Order,
    OrderPart,
    Payment,
    SellerRequisites,
    Shipment,
    ShipmentDocument,
)
from b2b_cabinet.permissions import Action, can

from .company import RoleRequiredMixin
from .finance_forms import InvoiceFilterForm, StatementForm

OPEN = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)


def company_invoices(request):
    return Invoice.objects.for_company(request.company)


def _page(request, qs, per_page=25):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


class FinanceDashboardView(RoleRequiredMixin, View):
    """Debt, overdue by age, available credit per contract, and the invoices falling due next."""

    required_action = Action.VIEW_FINANCE

    def get(self, request):
        company, today = request.company, timezone.localdate()
        contracts = [c for c in company.contracts.all() if c.is_active] or [None]
        positions = [finance.position(company, c, today) for c in contracts]
        upcoming = (company_invoices(request).filter(status__in=OPEN).select_related("contract")
                    .order_by("due_date", "pk")[:10])
        return render(request, "b2b_cabinet/cabinet/finance/dashboard.html", {
            "page": request.cabinet_page, "positions": positions, "upcoming": upcoming, "today": today,
            "recent_payments": Payment.objects.for_company(company)[:5],
        })


class InvoiceListView(RoleRequiredMixin, View):
    """The company's invoices, filtered by status."""

    required_action = Action.VIEW_FINANCE

    def get(self, request):
        form = InvoiceFilterForm(request.GET or None)
        invoices = company_invoices(request).select_related("order", "part", "contract")
        if form.is_valid() and form.cleaned_data["status"]:
            status = form.cleaned_data["status"]
            invoices = invoices.filter(status__in=OPEN) if status == "open" else invoices.filter(status=status)
        return render(request, "b2b_cabinet/cabinet/finance/invoices.html", {
            "page": request.cabinet_page, "form": form, "invoices": _page(request, invoices),
            "today": timezone.localdate()})


class InvoiceDetailView(RoleRequiredMixin, View):
    """One invoice: lines, totals, what was paid by which payment, and the pay button."""

    required_action = Action.VIEW_FINANCE

    def get(self, request, pk):
        invoice = get_object_or_404(company_invoices(request).select_related("order", "part", "contract"), pk=pk)
        return render(request, "b2b_cabinet/cabinet/finance/invoice_detail.html", {
            "page": request.cabinet_page, "invoice": invoice, "lines": invoice.lines.all(),
            "allocations": invoice.allocations.select_related("payment"),
            "can_pay": can(request.membership, Action.PAY_INVOICES) and online.online_payments_enabled()
            and invoice.status in OPEN,
        })


class InvoicePdfView(RoleRequiredMixin, View):
    """The invoice as a PDF with the payment QR code."""

    required_action = Action.VIEW_FINANCE

    def get(self, request, pk):
        invoice = get_object_or_404(company_invoices(request), pk=pk)
        requisites = SellerRequisites.for_request(request)
        response = HttpResponse(invoice_pdf(invoice, requisites), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="invoice-{invoice.pk}.pdf"'
        return response


class InvoiceIssueView(RoleRequiredMixin, View):
    """POST: issue an invoice for one of the company's orders, or one part of it (``part`` in the form)."""

    required_action = Action.PAY_INVOICES
    http_method_names = ["post"]

    def post(self, request, pk):
        order = get_object_or_404(Order.objects.for_company(request.company), pk=pk)
        part = None
        if request.POST.get("part"):
            part = get_object_or_404(OrderPart.objects.filter(order=order), pk=request.POST["part"])
        try:
            invoice = finance.issue_invoice(order, part, actor=request.user, site=request.cabinet_page.get_site())
        except FinanceError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.cabinet_page.cabinet_url("order_detail", pk=order.pk))
        messages.success(request, _("Invoice %(number)s is ready.") % {"number": invoice.number})
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("finance_invoice_detail", pk=invoice.pk))


class InvoicePayView(RoleRequiredMixin, View):
    """POST: start paying the invoice online and go to the provider's payment page."""

    required_action = Action.PAY_INVOICES
    http_method_names = ["post"]

    def post(self, request, pk):
        invoice = get_object_or_404(company_invoices(request), pk=pk)
        back = request.build_absolute_uri(request.cabinet_page.cabinet_url("finance_invoice_detail", pk=pk))
        try:
            payment = online.start_online_payment(invoice, success_url=back + "?paid=1", failure_url=back + "?failed=1",
                                                  ip_address=request.META.get("REMOTE_ADDR"),
                                                  email=request.user.email)
        except FinanceError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back)
        return HttpResponseRedirect(request.cabinet_page.cabinet_url("finance_online_payment", token=payment.token))


class OnlinePaymentView(RoleRequiredMixin, View):
    """The provider's form for one online payment (the dummy provider asks to confirm or reject)."""

    required_action = Action.PAY_INVOICES

    def payment(self, token) -> OnlinePayment:
        return get_object_or_404(OnlinePayment.objects.filter(invoice__company=self.request.company), token=token)

    def get(self, request, token):
        return self.handle(request, self.payment(token), None)

    def post(self, request, token):
        return self.handle(request, self.payment(token), request.POST)

    def handle(self, request, payment, data):
        from payments import RedirectNeeded

        try:
            form = payment.get_form(data=data)
        except RedirectNeeded as redirect:
            return HttpResponseRedirect(str(redirect))
        return render(request, "b2b_cabinet/cabinet/finance/online_payment.html", {
            "page": request.cabinet_page, "payment": payment, "invoice": payment.invoice, "form": form})


class PaymentListView(RoleRequiredMixin, View):
    """Payments received: bank transfers from 1C, online payments, manual entries."""

    required_action = Action.VIEW_FINANCE

    def get(self, request):
        payments = Payment.objects.for_company(request.company).select_related("invoice", "order_part")
        return render(request, "b2b_cabinet/cabinet/finance/payments.html", {
            "page": request.cabinet_page, "payments": _page(request, payments)})


class ShipmentListView(RoleRequiredMixin, View):
    """Shipments with their lines and documents."""

    required_action = Action.VIEW_FINANCE

    def get(self, request):
        shipments = (Shipment.objects.for_company(request.company).select_related("order", "order_part", "warehouse")
                     .prefetch_related("lines", "documents"))
        return render(request, "b2b_cabinet/cabinet/finance/shipments.html", {
            "page": request.cabinet_page, "shipments": _page(request, shipments)})


class ShipmentDocumentView(RoleRequiredMixin, View):
    """Download a shipment's document (УПД, waybill) — only the company's own."""

    required_action = Action.VIEW_FINANCE

    def get(self, request, pk, doc_pk):
        document = get_object_or_404(
            ShipmentDocument.objects.filter(shipment__company=request.company, shipment_id=pk), pk=doc_pk)
        try:
            handle = document.file.open("rb")
        except (OSError, ValueError):
            raise Http404(_("The file is missing.")) from None
        name = document.file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)


class StatementView(RoleRequiredMixin, View):
    """The акт сверки generator: pick a period (and a contract), download PDF or XLSX."""

    required_action = Action.VIEW_FINANCE

    def get(self, request):
        company = request.company
        form = StatementForm(request.GET if "date_from" in request.GET else None, company=company)
        if not form.is_valid():
            return render(request, "b2b_cabinet/cabinet/finance/statement.html", {
                "page": request.cabinet_page, "form": form})
        data = form.cleaned_data
        statement = build_statement(company, data["date_from"], data["date_to"], data["contract"],
                                    site=request.cabinet_page.get_site())
        if data["format"] == "xlsx":
            body, mime, ext = statement_xlsx(statement), \
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        else:
            body, mime, ext = statement_pdf(statement), "application/pdf", "pdf"
        response = HttpResponse(body, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="{statement.filename}.{ext}"'
        return response


def due_soon(invoice: Invoice, today: datetime.date, days: int = 7) -> bool:
    """Whether an open invoice falls due within ``days``."""
    return invoice.status in OPEN and today <= invoice.due_date <= today + datetime.timedelta(days=days)
