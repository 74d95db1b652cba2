"""Wagtail admin for the B2B models: one ``ModelViewSet`` per model, grouped under a "B2B" menu.

Wagtail's viewsets give search, filters, inspect, history and CSV/XLSX export for free; each
viewset here only says which columns, filters and fields matter to staff.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from b2b_cabinet import models as m


class B2BModelViewSet(ModelViewSet):
    """Defaults shared by every B2B viewset: inspect and export on, generous pages."""

    inspect_view_enabled = True
    list_per_page = 50
    add_to_admin_menu = False


class ProductViewSet(B2BModelViewSet):
    model = m.Product
    icon = "tag"
    menu_label = _("Products")
    list_display = ["name", "sku", "category", "brand", "is_active", "updated_at"]
    list_filter = ["is_active", "brand", "producer"]
    list_export = ["external_id", "sku", "name", "category", "brand", "producer", "barcode", "vat_rate", "is_active"]
    search_fields = ["name", "sku", "barcode", "external_id"]
    form_fields = [
        "name", "sku", "barcode", "category", "brand", "producer", "unit", "unit_ratio", "vat_rate",
        "description", "editorial_description", "is_active", "external_id",
    ]


class ProductVariantViewSet(B2BModelViewSet):
    # Hundreds of thousands of rows written by the importer: not worth tracking in the reference index.
    add_to_reference_index = False
    model = m.ProductVariant
    icon = "tag"
    menu_label = _("Product variants")
    list_display = ["name", "sku", "product", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "sku", "external_id"]
    form_fields = ["product", "name", "sku", "barcode", "characteristics", "is_active", "external_id"]


class CategoryViewSet(B2BModelViewSet):
    model = m.Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "parent", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "external_id"]
    form_fields = ["name", "slug", "parent", "position", "is_active", "external_id"]


class BrandViewSet(B2BModelViewSet):
    model = m.Brand
    icon = "pick"
    menu_label = _("Brands")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "external_id"]


class ProducerViewSet(B2BModelViewSet):
    model = m.Producer
    icon = "cogs"
    menu_label = _("Producers")
    list_display = ["name", "inn", "external_id"]
    search_fields = ["name", "inn"]
    form_fields = ["name", "inn", "external_id"]


class UnitViewSet(B2BModelViewSet):
    model = m.Unit
    icon = "resubmit"
    menu_label = _("Units")
    list_display = ["name", "code", "full_name"]
    search_fields = ["name", "code", "full_name"]
    form_fields = ["code", "name", "full_name", "intl_abbr", "external_id"]


class PropertyViewSet(B2BModelViewSet):
    model = m.Property
    icon = "list-ul"
    menu_label = _("Properties")
    list_display = ["name", "value_type", "for_offers", "is_filterable"]
    list_filter = ["value_type", "for_offers", "is_filterable"]
    search_fields = ["name", "external_id"]
    form_fields = ["name", "value_type", "for_offers", "is_filterable", "external_id"]


class WarehouseViewSet(B2BModelViewSet):
    model = m.Warehouse
    icon = "home"
    menu_label = _("Warehouses")
    list_display = ["name", "city", "region", "producer", "cutoff_time", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "city", "address"]
    form_fields = [
        "name", "city", "region", "address", "producer", "cutoff_time", "closed_weekdays", "position",
        "is_active", "external_id",
    ]


class ClosedDayViewSet(B2BModelViewSet):
    model = m.ClosedDay
    icon = "date"
    menu_label = _("Closed shipping days")
    list_display = ["date", "warehouse", "reason"]
    list_filter = ["warehouse"]
    form_fields = ["warehouse", "date", "reason"]


class StockLevelViewSet(B2BModelViewSet):
    # Hundreds of thousands of rows written by the importer: not worth tracking in the reference index.
    add_to_reference_index = False
    model = m.StockLevel
    icon = "table"
    menu_label = _("Stock levels")
    list_display = ["product", "warehouse", "on_hand", "reserved", "in_transit", "expected_at"]
    list_filter = ["warehouse"]
    list_export = ["product", "variant", "warehouse", "on_hand", "reserved", "in_transit", "expected_at"]
    search_fields = ["product__name", "product__sku"]
    form_fields = ["product", "variant", "warehouse", "on_hand", "reserved", "in_transit", "expected_at"]


class PriceTypeViewSet(B2BModelViewSet):
    model = m.PriceType
    icon = "tasks"
    menu_label = _("Price types")
    list_display = ["name", "currency", "vat_included", "is_default", "is_rrp", "is_active"]
    list_filter = ["is_active", "is_default", "is_rrp"]
    search_fields = ["name", "external_id"]
    form_fields = ["name", "currency", "vat_included", "is_default", "is_rrp", "is_active", "external_id"]


class PriceViewSet(B2BModelViewSet):
    # Hundreds of thousands of rows written by the importer: not worth tracking in the reference index.
    add_to_reference_index = False
    model = m.Price
    icon = "form"
    menu_label = _("Prices")
    list_display = ["product", "price_type", "value", "currency"]
    list_filter = ["price_type", "currency"]
    list_export = ["product", "variant", "price_type", "value", "currency", "unit_ratio"]
    search_fields = ["product__name", "product__sku"]
    form_fields = ["product", "variant", "price_type", "value", "currency", "unit_ratio", "min_quantity"]


class RegionViewSet(B2BModelViewSet):
    model = m.Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "code", "price_type"]
    search_fields = ["name", "code"]
    form_fields = ["name", "code", "price_type", "warehouses"]


class CompanyViewSet(B2BModelViewSet):
    model = m.Company
    icon = "group"
    menu_label = _("Companies")
    list_display = ["name", "region", "manager", "is_active", "created_at"]
    list_filter = ["is_active", "region", "manager"]
    list_export = ["external_id", "name", "region", "manager", "is_active", "created_at"]
    search_fields = ["name", "external_id", "legal_entities__inn"]
    form_fields = ["name", "region", "manager", "is_active", "external_id"]


class LegalEntityViewSet(B2BModelViewSet):
    model = m.LegalEntity
    icon = "doc-full"
    menu_label = _("Legal entities")
    list_display = ["name", "company", "inn", "kpp", "is_default"]
    list_export = ["company", "name", "inn", "kpp", "ogrn", "address"]
    search_fields = ["name", "inn", "kpp", "company__name"]
    form_fields = ["company", "name", "inn", "kpp", "ogrn", "address", "is_default", "external_id"]


class MembershipViewSet(B2BModelViewSet):
    model = m.Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "company", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__username", "company__name"]
    form_fields = ["user", "company", "role", "is_active"]


class ContractViewSet(B2BModelViewSet):
    model = m.Contract
    icon = "doc-full-inverse"
    menu_label = _("Contracts")
    list_display = ["number", "company", "price_type", "currency", "credit_limit", "is_active"]
    list_filter = ["is_active", "currency", "price_type"]
    list_export = [
        "external_id", "company", "number", "signed_on", "price_type", "currency", "fixed_rate", "credit_limit",
        "payment_terms_days", "manager", "is_active",
    ]
    search_fields = ["number", "company__name", "external_id"]
    form_fields = [
        "company", "legal_entity", "number", "signed_on", "valid_until", "price_type", "currency", "fixed_rate",
        "credit_limit", "payment_terms_days", "manager", "is_default", "is_active", "external_id",
    ]


class OrderViewSet(B2BModelViewSet):
    model = m.Order
    icon = "list-ol"
    menu_label = _("Orders")
    list_display = ["number", "company", "status", "total", "currency", "created_at"]
    list_filter = ["status", "created_at"]
    list_export = ["number", "company", "contract", "legal_entity", "status", "total", "currency", "created_at"]
    search_fields = ["number", "company__name", "po_number"]
    # No "status": statuses change only through ordering.set_order_status (timeline, stock, notifications).
    form_fields = [
        "number", "company", "contract", "legal_entity", "currency", "total", "po_number", "comment", "ship_date",
    ]
    inspect_view_fields = [
        "number", "company", "contract", "legal_entity", "status", "created_by", "placed_on_behalf", "total",
        "currency", "delivery_method", "delivery_address", "pickup_warehouse", "ship_date", "po_number", "comment",
        "created_at",
    ]
    copy_view_enabled = False


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view": the audit log is append-only, so nobody adds, edits or deletes, superusers included."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(m.CabinetAuditEvent, ViewOnlyPermissionPolicy(m.CabinetAuditEvent))


class CabinetAuditEventViewSet(B2BModelViewSet):
    """The cabinet audit log, read-only: team changes, invitations, on-behalf sessions, orders on behalf."""

    model = m.CabinetAuditEvent
    icon = "history"
    menu_label = _("Cabinet audit log")
    copy_view_enabled = False
    list_display = ["created_at", "user_repr", "company_repr", "action", "on_behalf", "object_repr", "ip_address"]
    list_filter = ["action", "on_behalf", "created_at"]
    list_export = [
        "created_at", "user_repr", "company_repr", "action", "on_behalf", "object_repr", "object_id", "ip_address",
        "data",
    ]
    search_fields = ["user_repr", "company_repr", "object_repr"]
    inspect_view_fields = [
        "created_at", "user", "user_repr", "company", "company_repr", "on_behalf", "action", "object_type",
        "object_id", "object_repr", "ip_address", "data",
    ]
    # The form is never shown (no add/change permission); ModelViewSet still needs its fields declared.
    form_fields = ["action"]


from b2b_cabinet.ordering_viewsets import ORDERING_VIEWSETS  # noqa: E402 (it builds on the classes above)


class B2BViewSetGroup(ViewSetGroup):
    """The "B2B" admin menu."""

    menu_label = _("B2B")
    menu_icon = "cogs"
    menu_order = 200
    items = (
        CompanyViewSet,
        ContractViewSet,
        LegalEntityViewSet,
        MembershipViewSet,
        RegionViewSet,
        OrderViewSet,
        *ORDERING_VIEWSETS,
        CabinetAuditEventViewSet,
        ProductViewSet,
        ProductVariantViewSet,
        CategoryViewSet,
        BrandViewSet,
        ProducerViewSet,
        PropertyViewSet,
        UnitViewSet,
        PriceTypeViewSet,
        PriceViewSet,
        WarehouseViewSet,
        ClosedDayViewSet,
        StockLevelViewSet,
    )
