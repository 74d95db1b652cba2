"""Helpers for import tests: demo packages in a temp folder, and a snapshot of the whole catalogue."""

from __future__ import annotations

from pathlib import Path

from b2b_cabinet import models as m
from b2b_cabinet.demo.catalogue import CatalogueSpec
from b2b_cabinet.sync.pipeline import import_files

FIXTURES = Path(__file__).parent / "fixtures" / "commerceml"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "commerceml"

CATALOGUE_MODELS = (
    m.Category, m.Brand, m.Producer, m.Unit, m.Property, m.PropertyValue, m.PriceType, m.Warehouse, m.Product,
    m.ProductVariant, m.Price, m.StockLevel, m.ProductImage, m.OfferState,
)


def small_spec(**overrides) -> CatalogueSpec:
    """A quick package: 40 products, 3 price types, 3 warehouses, goods in transit on every 10th."""
    return CatalogueSpec(products=overrides.pop("products", 40), in_transit_every=10, **overrides)


def run_import(*paths, **kwargs) -> m.ImportRun:
    """``import_files`` with the command's source, failing loudly on an unexpected internal error."""
    run = import_files([Path(p) for p in paths], source=kwargs.pop("source", m.ImportRun.Source.COMMAND), **kwargs)
    assert "Internal error" not in run.error, run.error
    return run


def catalogue_snapshot() -> dict:
    """Every row of every catalogue table, for "nothing changed" assertions."""
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in CATALOGUE_MODELS}


def catalogue_content() -> dict:
    """The catalogue's rows by content, without keys or timestamps that differ between loads."""
    return {
        "products": sorted(map(repr, m.Product.objects.values_list(
            "external_id", "sku", "name", "category_id", "brand_id", "unit_ratio", "vat_rate", "barcode", "properties",
            "requisites", "is_active"))),
        "variants": sorted(map(repr, m.ProductVariant.objects.values_list(
            "external_id", "product__external_id", "name", "characteristics", "is_active"))),
        "totals": sorted(map(repr, m.OfferState.objects.values_list(
            "external_id", "product__external_id", "variant__external_id", "quantity"))),
        "prices": sorted(map(repr, m.Price.objects.values_list(
            "product__external_id", "variant__external_id", "price_type_id", "value", "currency"))),
        "stock": sorted(map(repr, m.StockLevel.objects.values_list(
            "product__external_id", "variant__external_id", "warehouse_id", "on_hand", "in_transit", "expected_at"))),
    }
