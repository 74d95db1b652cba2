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
    m.ProductVariant, m.Price, m.StockLevel, m.ProductImage,
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
