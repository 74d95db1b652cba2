"""The "Finance" admin menu: invoices, payments, shipments, the ledger, 1C settlements, online payments.

Money documents are read-only here (list, filter, export, inspect): they are written by the finance
use-cases — the cabinet, the 1C exchange, online payments — so the ledger always matches them.
Staff may attach shipment documents (УПД, waybills) when 1C does not send them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from b2b_cabinet import models as m
from b2b_cabinet.viewsets import B2BModelViewSet, ViewOnlyPermissionPolicy

READ_ONLY = (m.Invoice, m.Payment, m.Shipment, m.LedgerEntry, m.MutualSettlement, m.OnlinePayment)
for _model in READ_ONLY:
    register_permission_policy(_model, ViewOnlyPermissionPolicy(_model))


class ReadOnlyViewSet(B2BModelViewSet):
    copy_view_enabled = False


class InvoiceViewSet(ReadOnlyViewSet):
    model = m.Invoice
    icon = "doc-full"
    menu_label = _("Invoices")
    list_display = ["number", "issued_on", "company", "order", "total", "paid_amount", "status", "due_date"]
    list_filter = ["status", "issued_on", "due_date"]
    list_export = ["number", "issued_on", "company", "contract", "order", "part", "total", "vat_amount",
                   "paid_amount", "status", "due_date"]
    search_fields = ["number", "company__name", "order__number"]
    inspect_view_fields = ["number", "issued_on", "due_date", "company", "contract", "legal_entity", "order", "part",
                           "currency", "vat_included", "vat_amount", "total", "paid_amount", "status", "purpose",
                           "created_by"]
    form_fields = ["purpose"]


class PaymentViewSet(ReadOnlyViewSet):
    model = m.Payment
    icon = "tick-inverse"
    menu_label = _("Payments")
    list_display = ["date", "number", "company", "amount", "source", "invoice", "order_part"]
    list_filter = ["source", "date"]
    list_export = ["date", "number", "company", "contract", "amount", "currency", "source", "external_id",
                   "invoice", "order_part"]
    search_fields = ["number", "external_id", "company__name"]
    inspect_view_fields = ["date", "number", "company", "contract", "order_part", "invoice", "amount", "currency",
                           "source", "external_id", "node", "created_at"]
    form_fields = ["number"]


class ShipmentViewSet(ReadOnlyViewSet):
    model = m.Shipment
    icon = "upload"
    menu_label = _("Shipments")
    list_display = ["date", "number", "company", "order_part", "warehouse", "status", "amount"]
    list_filter = ["status", "warehouse", "date"]
    list_export = ["date", "number", "company", "order", "order_part", "warehouse", "status", "amount",
                   "external_id"]
    search_fields = ["number", "external_id", "company__name", "order__number"]
    inspect_view_fields = ["date", "number", "company", "contract", "order", "order_part", "warehouse", "status",
                           "amount", "currency", "source", "external_id", "node"]
    form_fields = ["number"]


class ShipmentDocumentViewSet(B2BModelViewSet):
    model = m.ShipmentDocument
    icon = "doc-empty"
    menu_label = _("Shipment documents")
    list_display = ["shipment", "kind", "title", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "shipment__number"]
    form_fields = ["shipment", "kind", "title", "file"]


class LedgerEntryViewSet(ReadOnlyViewSet):
    model = m.LedgerEntry
    icon = "list-ol"
    menu_label = _("Ledger")
    list_display = ["date", "company", "contract", "kind", "document", "debit", "credit", "due_date"]
    list_filter = ["kind", "date"]
    list_export = ["date", "company", "contract", "kind", "document", "debit", "credit", "due_date"]
    search_fields = ["document", "company__name"]
    inspect_view_fields = ["date", "company", "contract", "kind", "document", "debit", "credit", "due_date",
                           "invoice", "payment", "shipment", "created_at"]
    form_fields = ["document"]


class MutualSettlementViewSet(ReadOnlyViewSet):
    model = m.MutualSettlement
    icon = "table"
    menu_label = _("1C settlements")
    list_display = ["as_of", "company", "contract", "balance", "overdue", "node"]
    list_filter = ["as_of", "node"]
    search_fields = ["company__name"]
    inspect_view_fields = ["as_of", "company", "contract", "balance", "overdue", "node", "received_at"]
    form_fields = ["balance"]


class OnlinePaymentViewSet(ReadOnlyViewSet):
    model = m.OnlinePayment
    icon = "link"
    menu_label = _("Online payments")
    list_display = ["created", "invoice", "variant", "status", "total", "captured_amount"]
    list_filter = ["status", "variant", "created"]
    search_fields = ["invoice__number", "transaction_id", "token"]
    inspect_view_fields = ["created", "modified", "invoice", "variant", "status", "fraud_status", "total",
                           "captured_amount", "currency", "transaction_id", "message"]
    form_fields = ["description"]


FINANCE_VIEWSETS = (InvoiceViewSet, PaymentViewSet, ShipmentViewSet, ShipmentDocumentViewSet, LedgerEntryViewSet,
                    MutualSettlementViewSet, OnlinePaymentViewSet)


class FinanceViewSetGroup(ViewSetGroup):
    """The "Finance" admin menu."""

    menu_label = _("Finance")
    menu_icon = "doc-full"
    menu_order = 210
    items = FINANCE_VIEWSETS
