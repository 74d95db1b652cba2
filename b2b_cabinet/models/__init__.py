"""The package's models, re-exported here.

Import rule: ``b2b_cabinet.models`` imports nothing else from the package except
``b2b_cabinet.exceptions`` and the StreamField blocks pages are made of; domain modules, views
and sync import models, never the reverse.
The one exception is ``pages.py``: Wagtail pages are models *and* views, so their route methods
import domain modules lazily, inside the method.
"""

from .accounts import AuditAction, CabinetAuditEvent, Invitation
from .base import CompanyScopedQuerySet, ExternalIdMixin, TimestampedMixin
from .carts import Cart, CartLine, SavedList, SavedListLine
from .catalog import (
    Brand,
    Category,
    OfferState,
    Producer,
    Product,
    ProductImage,
    ProductVariant,
    Property,
    PropertyValue,
    Unit,
)
from .customers import Company, CompanyGroup, Contract, LegalEntity, Membership, Region, RegionAssortmentRule
from .finance import (
    DocumentCounter,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentSource,
    Shipment,
    ShipmentDocument,
    ShipmentLine,
    ShipmentStatus,
)
from .leads import DistributorApplication, LeadFormField, LeadFormPage, LeadKind, LeadSubmission
from .ledger import LedgerEntry, LedgerKind, MutualSettlement, OnlinePayment
from .marketing import CaseStudyIndexPage, CaseStudyPage, Segment, SegmentLandingPage
from .notifications import (
    ChannelName,
    Delivery,
    EmailTemplate,
    EventType,
    Notification,
    NotificationPreference,
    OutboxEvent,
    WebhookEndpoint,
)
from .orders import (
    TRANSITIONS,
    DeliveryMethod,
    EventSource,
    Order,
    OrderCounter,
    OrderEvent,
    OrderLine,
    OrderPart,
    OrderStatus,
    transition_map,
)
from .pages import CabinetPage, CatalogPage, ContentPage
from .pricing import CurrencyRate, DiscountRule, Price, PriceType
from .settings import SellerRequisites
from .stock import ClosedDay, StockLevel, Warehouse
from .sync import ExchangeNode, ExchangeSession, ImportIssue, ImportRun, StatusMapping

__all__ = [
    "TRANSITIONS",
    "AuditAction",
    "Brand",
    "CabinetAuditEvent",
    "CabinetPage",
    "Cart",
    "CartLine",
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CatalogPage",
    "Category",
    "ChannelName",
    "ClosedDay",
    "Company",
    "CompanyGroup",
    "CompanyScopedQuerySet",
    "ContentPage",
    "Contract",
    "CurrencyRate",
    "Delivery",
    "DeliveryMethod",
    "DiscountRule",
    "DistributorApplication",
    "DocumentCounter",
    "EmailTemplate",
    "EventSource",
    "EventType",
    "ExchangeNode",
    "ExchangeSession",
    "ExternalIdMixin",
    "ImportIssue",
    "ImportRun",
    "Invitation",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "LeadFormField",
    "LeadFormPage",
    "LeadKind",
    "LeadSubmission",
    "LedgerEntry",
    "LedgerKind",
    "LegalEntity",
    "Membership",
    "MutualSettlement",
    "Notification",
    "NotificationPreference",
    "OfferState",
    "OnlinePayment",
    "Order",
    "OrderCounter",
    "OrderEvent",
    "OrderLine",
    "OrderPart",
    "OrderStatus",
    "OutboxEvent",
    "Payment",
    "PaymentAllocation",
    "PaymentSource",
    "Price",
    "PriceType",
    "Producer",
    "Product",
    "ProductImage",
    "ProductVariant",
    "Property",
    "PropertyValue",
    "Region",
    "RegionAssortmentRule",
    "SavedList",
    "SavedListLine",
    "Segment",
    "SegmentLandingPage",
    "SellerRequisites",
    "Shipment",
    "ShipmentDocument",
    "ShipmentLine",
    "ShipmentStatus",
    "StatusMapping",
    "StockLevel",
    "TimestampedMixin",
    "Unit",
    "Warehouse",
    "WebhookEndpoint",
    "transition_map",
]
