"""A deterministic CommerceML 2.07 package of an electrical-goods distributor, as 1C УТ 11 exports it.

``write_package`` writes ``import.xml`` (Классификатор with a three-level Группы tree and Свойства,
Справочник ones with ВариантыЗначений, then Каталог/Товары) and ``offers.xml`` (a stub Классификатор,
then ПакетПредложений with ТипыЦен, Склады and Предложения). ``write_offers_changed`` writes the same
offers with new prices and stock; ``write_delta`` writes a changes-only package for a fraction of the
products. The same spec always gives byte-identical files, and product ``i`` is the same product in
a 3,000- and a 150,000-product catalogue of the same seed.

The shape is that of real УТ 11 2.07 exports (namespace ``urn:1C.ru:commerceml_2``, UTF-8 with a BOM,
tab indents); the templates in ``catalogue_xml`` show it element by element, ``catalogue_content``
holds the Russian content and ``catalogue_synth`` makes product ``i``. Points a reader must know:

* Справочник property values are ИдЗначения GUIDs; Число values use a decimal comma (``4,5``), and
  so does the Вес requisite (kg). Requisites come in this order: ВидНоменклатуры, ТипНоменклатуры
  (``Товар``), Полное наименование, Вес, Код (``EL-0000001``), Кратность, Страна происхождения, Код ТН
  ВЭД, Гарантийный срок, Единица для отчетов; ``requisites_per_product`` keeps the first N.
* Deleted products (``deleted_every``) are ``<Товар Статус="Удален">`` and have no offer.
* An offer's Ид is the product's, or ``<product Ид>#<characteristic Ид>`` for each of the 2-3
  characteristics of every ``variants_every``-th product (with ХарактеристикиТовара, and the value in
  brackets after the name). Price types are listed cheapest first (Оптовая < Дилерская < РРЦ);
  Представление is ``1 719,00 RUB за шт`` with a no-break space; Количество is the sum of the
  per-warehouse ``<Склад ИдСклада=".." КоличествоНаСкладе=".."/>``, one for every warehouse.

Goods in transit (the loader reads exactly this): every offer of every ``in_transit_every``-th product
(indices 0, N, 2N, ...) has, between БазоваяЕдиница (or ХарактеристикиТовара) and Цены::

    <ЗначенияРеквизитов>
        <ЗначениеРеквизита>
            <Наименование>Количество в пути</Наименование> <Значение>500</Значение>
        </ЗначениеРеквизита>
        <ЗначениеРеквизита>
            <Наименование>Дата поступления</Наименование> <Значение>2026-12-04</Значение>
        </ЗначениеРеквизита>
        <ЗначениеРеквизита>
            <Наименование>Склад поступления</Наименование> <Значение>{Ид of a Склад}</Значение>
        </ЗначениеРеквизита>
    </ЗначенияРеквизитов>

The quantity is an integer in the base unit (шт), the date is ISO ``YYYY-MM-DD`` (5 to 45 days after
``generated_at``) and the warehouse is one of ПакетПредложений/Склады. Offers without goods in transit
have no ЗначенияРеквизитов. From a shell::

    python -m b2b_cabinet.demo.catalogue OUTDIR --products N [--realistic] [--mode package|changed|delta]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path

from . import catalogue_xml as cml
from .catalogue_synth import Assortment, Product

__all__ = ["CatalogueSpec", "PackageInfo", "main", "write_delta", "write_offers_changed", "write_package"]

GENERATED_AT = datetime(2026, 11, 20, 9, 30, 0)
DEFAULT_PRICE_TYPES = (("Оптовая", "RUB"), ("Дилерская", "RUB"), ("РРЦ", "RUB"))
DEFAULT_WAREHOUSES = (
    ("Склад Екатеринбург", "Екатеринбург"),
    ("Склад Москва-Север", "Москва"),
    ("Склад Москва-Юг", "Москва"),
)
REALISTIC_WAREHOUSES = (
    *DEFAULT_WAREHOUSES,
    ("Склад Санкт-Петербург", "Санкт-Петербург"),
    ("Склад Новосибирск", "Новосибирск"),
)


@dataclass(frozen=True)
class CatalogueSpec:
    """What to generate. The output is a function of these fields and nothing else."""

    products: int = 3000
    seed: int = 42
    properties_per_product: int = 10  # Бренд, Серия, the kind's own, then generic ones (14-16 at most)
    requisites_per_product: int = 4  # the first N (up to 10) of the requisites in the module docstring
    price_types: tuple[tuple[str, str], ...] = DEFAULT_PRICE_TYPES  # (name, currency), cheapest first
    warehouses: tuple[tuple[str, str], ...] = DEFAULT_WAREHOUSES  # (name, city)
    variants_every: int = 0  # every Nth product has 2-3 characteristics, each its own offer
    in_transit_every: int = 20  # every Nth product (0, N, 2N, ...) has goods in transit
    deleted_every: int = 0  # every Nth product is written with Статус="Удален" and has no offer
    only_changes: bool = False  # СодержитТолькоИзменения="true" on Каталог and ПакетПредложений
    pad_description_to: int = 0  # pad each Описание with boilerplate to about this many bytes
    images: bool = False  # a Картинка per product, and a small JPEG at that path
    generated_at: datetime = GENERATED_AT  # ДатаФормирования; in-transit dates follow it

    @classmethod
    def realistic(cls, products: int = 150_000, **overrides) -> CatalogueSpec:
        """A benchmark-sized export: 10 properties, 4 requisites, 3 price types, 5 warehouses, goods in
        transit on every 20th product. In the real УТ 11 shape that is about 4.7 KB per Товар and 2.6 KB
        per Предложение: 150,000 products make a 1.09 GB package (701 MB + 385 MB)."""
        return cls(**{"products": products, "warehouses": REALISTIC_WAREHOUSES, **overrides})


@dataclass(frozen=True)
class PackageInfo:
    """What a writer wrote: paths, element counts, sizes and the external ids in file order."""

    directory: Path
    import_path: Path | None  # None for write_offers_changed
    offers_path: Path
    products: int  # Товар elements (write_offers_changed: products whose offers were written)
    offers: int  # Предложение elements
    deleted: int  # Товар elements with Статус="Удален"
    variant_offers: int  # offers of a characteristic ("guid#guid")
    in_transit: int  # offers carrying the in-transit requisites
    images: int  # image files written
    import_bytes: int
    offers_bytes: int
    product_ids: tuple[str, ...]
    offer_ids: tuple[str, ...]
    seconds: float = field(default=0.0, compare=False)

    @property
    def total_bytes(self) -> int:
        return self.import_bytes + self.offers_bytes

    def summary(self) -> dict:
        """The figures as a JSON-ready dict (without the id lists)."""
        data = {}
        for name in (f.name for f in fields(self) if f.name not in ("product_ids", "offer_ids")):
            value = getattr(self, name)
            data[name] = str(value) if isinstance(value, Path) else value
        return {**data, "total_bytes": self.total_bytes}


def write_package(directory: str | Path, spec: CatalogueSpec = CatalogueSpec()) -> PackageInfo:
    """Write ``import.xml`` and ``offers.xml`` (and images if ``spec.images``) into ``directory``."""
    return _write(Path(directory), spec, range(spec.products), only_changes=spec.only_changes)


def write_offers_changed(
    directory: str | Path,
    spec: CatalogueSpec = CatalogueSpec(),
    *,
    change_every: int = 1,
    price_factor: float = 1.05,
    name: str = "offers.xml",
) -> PackageInfo:
    """Write the offers of ``spec`` with new prices and stock for every ``change_every``-th product: the
    prices-and-stock upload. Every price is multiplied by ``price_factor`` and moves by a kopeck at
    least; every warehouse quantity of a changed offer moves the same way, so Количество changes too."""

    def change(assortment: Assortment, product: Product) -> Product:
        if product.index % change_every:
            return product
        return assortment.changed(product, "prices", price_factor)

    return _write(Path(directory), spec, range(spec.products), only_changes=spec.only_changes,
                  transform=change, offers_name=name, with_import=False)


def write_delta(
    directory: str | Path,
    spec: CatalogueSpec = CatalogueSpec(),
    *,
    fraction: float = 0.01,
    price_factor: float = 1.1,
) -> PackageInfo:
    """Write a changes-only package (``СодержитТолькоИзменения="true"``): ``import.xml`` with the whole
    Классификатор and a seeded sample of ``fraction`` of the products, each renamed (`` (нов. ред.)``
    appended), and ``offers.xml`` with their offers at new prices and stock."""
    count = min(spec.products, max(1, round(spec.products * fraction))) if fraction > 0 else 0
    indices = sorted(random.Random(f"{spec.seed}:delta").sample(range(spec.products), count))

    def change(assortment: Assortment, product: Product) -> Product:
        return assortment.changed(product, "delta", price_factor, rename=True)

    return _write(Path(directory), spec, indices, only_changes=True, transform=change)


def _write(
    directory: Path,
    spec: CatalogueSpec,
    indices: Iterable[int],
    *,
    only_changes: bool,
    transform: Callable[[Assortment, Product], Product] | None = None,
    offers_name: str = "offers.xml",
    with_import: bool = True,
) -> PackageInfo:
    started = time.perf_counter()
    assortment = Assortment(spec)
    directory.mkdir(parents=True, exist_ok=True)
    import_path = directory / "import.xml" if with_import else None
    offers_path = directory / offers_name
    product_ids: list[str] = []
    offer_ids: list[str] = []
    deleted = variant_offers = in_transit = images = 0
    flag = "true" if only_changes else "false"
    with _open(offers_path) as offers_file, _open(import_path) as import_file:
        import_file.write(cml.import_head(assortment, flag))
        offers_file.write(cml.offers_head(assortment, flag))
        for i in indices:
            product = assortment.product(i)
            if transform:
                product = transform(assortment, product)
            product_ids.append(product.id)
            deleted += product.deleted
            import_file.write(cml.product_xml(assortment, product))
            for offer in product.offers:
                offers_file.write(cml.offer_xml(assortment, product, offer))
                offer_ids.append(offer.id)
                variant_offers += offer.characteristic is not None
                in_transit += offer.transit is not None
            if with_import and product.images:
                images += _write_images(directory, product)
        import_file.write(cml.IMPORT_TAIL)
        offers_file.write(cml.OFFERS_TAIL)
    return PackageInfo(
        directory=directory,
        import_path=import_path,
        offers_path=offers_path,
        products=len(product_ids),
        offers=len(offer_ids),
        deleted=deleted,
        variant_offers=variant_offers,
        in_transit=in_transit,
        images=images,
        import_bytes=import_path.stat().st_size if import_path else 0,
        offers_bytes=offers_path.stat().st_size,
        product_ids=tuple(product_ids),
        offer_ids=tuple(offer_ids),
        seconds=round(time.perf_counter() - started, 3),
    )


class _Discard:
    """Stands in for the import file when only offers are written."""

    def __enter__(self) -> _Discard:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, text: str) -> None:
        return None


def _open(path: Path | None):
    if path is None:
        return _Discard()
    return open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20)


_COLOURS = ((31, 78, 140), (46, 125, 50), (61, 205, 88), (255, 0, 15), (245, 158, 11), (109, 40, 217))
_JPEGS: dict[int, bytes] = {}


def _write_images(directory: Path, product: Product) -> int:
    """Write a 64x64 JPEG in the brand's colour at each of the product's image paths (needs Pillow)."""
    if product.brand not in _JPEGS:
        from io import BytesIO

        from PIL import Image

        buffer = BytesIO()
        Image.new("RGB", (64, 64), _COLOURS[product.brand]).save(buffer, "JPEG", quality=80)
        _JPEGS[product.brand] = buffer.getvalue()
    for path in product.images:
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_JPEGS[product.brand])
    return len(product.images)


def main(argv: list[str] | None = None) -> int:
    """The command line: write a package, changed offers or a delta and print its figures as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m b2b_cabinet.demo.catalogue", description="Write a demo CommerceML 2.07 package."
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--realistic", action="store_true", help="CatalogueSpec.realistic(): 5 warehouses")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--images", action="store_true", default=None)
    for option in ("variants-every", "in-transit-every", "deleted-every", "pad-description-to"):
        parser.add_argument(f"--{option}", type=int)
    parser.add_argument(
        "--mode",
        choices=("package", "changed", "delta"),
        default="package",
        help="package: import.xml + offers.xml; changed: offers.xml with new prices and stock; "
        "delta: a changes-only package for --fraction of the products",
    )
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--price-factor", type=float)
    args = parser.parse_args(argv)
    names = ("seed", "images", "variants_every", "in_transit_every", "deleted_every", "pad_description_to")
    overrides = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    spec = CatalogueSpec.realistic(args.products) if args.realistic else CatalogueSpec(products=args.products)
    spec = replace(spec, **overrides)
    factor = {"price_factor": args.price_factor} if args.price_factor else {}
    if args.mode == "changed":
        info = write_offers_changed(args.outdir, spec, **factor)
    elif args.mode == "delta":
        info = write_delta(args.outdir, spec, fraction=args.fraction, **factor)
    else:
        info = write_package(args.outdir, spec)
    print(json.dumps(info.summary(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
