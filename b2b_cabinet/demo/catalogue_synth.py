"""Deterministic synthesis of the demo catalogue: the classifier and product ``i`` as plain values.

``Assortment(spec)`` builds the classifier (groups, properties, brands, price types, warehouses) and a
seeded permutation of every (kind, brand, combination). ``Assortment.product(i)`` is a pure function
of the spec and ``i``: it seeds its own ``random.Random`` so any product (for a delta, say) is made
without making the ones before it. The XML is written by ``catalogue_xml``.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import product as cartesian
from typing import TYPE_CHECKING

from .catalogue_content import (
    BRANDS,
    CLIMATES,
    COUNTRY_CODES,
    DICT,
    FEMININE,
    HEAD_PROPERTIES,
    KINDS,
    PADDING,
    PROPERTY_TYPES,
    REQUISITES,
    TAIL_DOMAINS,
    TAIL_PROPERTIES,
    Kind,
)

if TYPE_CHECKING:
    from .catalogue import CatalogueSpec

# RUB per unit of currency, to price a price type given in another currency
RATES = {"RUB": 1.0, "руб": 1.0, "USD": 92.5, "EUR": 100.0, "CNY": 12.7, "KZT": 0.19, "BYN": 28.5}
REGIONS = {
    "Москва": "Москва г", "Санкт-Петербург": "Санкт-Петербург г", "Екатеринбург": "Свердловская обл",
    "Новосибирск": "Новосибирская обл", "Казань": "Татарстан Респ", "Челябинск": "Челябинская обл",
}


def guid(*parts: object) -> str:
    """A GUID-shaped id derived from ``parts`` (stable across runs and Python versions)."""
    h = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def ean13(number12: int) -> str:
    """The EAN-13 for a 12-digit number: the digits plus their check digit."""
    digits = f"{number12:012d}"
    total = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def number(value: float) -> str:
    """A number as 1C writes it in a property or requisite: no trailing zeros, decimal comma."""
    return f"{value:.3f}".rstrip("0").rstrip(".").replace(".", ",")


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    name: str
    prices: tuple[float, ...]  # per price type, in the spec's order
    stock: tuple[int, ...]  # per warehouse, in the spec's order
    transit: tuple[int, str, str] | None  # (quantity, ISO date, warehouse Ид)
    characteristic: tuple[str, str] | None  # (name, value)


@dataclass(frozen=True, slots=True)
class Product:
    index: int
    id: str
    ean: str
    article: str
    code: str
    name: str
    group_id: str
    brand: int
    description: str
    properties: tuple[tuple[str, str], ...]  # (property Ид, value or value Ид)
    requisites: tuple[tuple[str, str], ...]
    images: tuple[str, ...]  # relative paths under the package directory
    deleted: bool
    offers: tuple[Offer, ...]


class Assortment:
    """The classifier and the product generator for one ``CatalogueSpec``."""

    def __init__(self, spec: CatalogueSpec) -> None:
        self.spec = spec
        seed = spec.seed
        self.catalogue_id = guid(seed, "catalogue")
        self.owner_id = guid(seed, "owner")
        self.brand_ids = [guid(seed, "brand", b.name) for b in BRANDS]
        self.price_types = [(guid(seed, "price", n), n, c) for n, c in spec.price_types]
        self.warehouses = [(guid(seed, "store", n), n, city) for n, city in spec.warehouses]
        self.groups: dict[tuple[str, ...], str] = {}
        for kind in KINDS:
            for depth in range(1, len(kind.path) + 1):
                self.groups.setdefault(kind.path[:depth], guid(seed, "group", *kind.path[:depth]))
        self.combos = [(k, b, c) for k, kind in enumerate(KINDS) for b in range(len(BRANDS))
                       for c in range(math.prod(len(v) for _, v in kind.dims))]
        random.Random(seed).shuffle(self.combos)
        self.properties = self._properties(seed)

    def _properties(self, seed: int) -> dict[str, tuple[str, str, dict[str, str]]]:
        """name -> (Ид, ТипЗначений, {value: ИдЗначения}) with every Справочник value enumerated."""
        domains: dict[str, dict[str, None]] = {}
        for kind in KINDS:
            templates = [(n, t) for n, t in (*HEAD_PROPERTIES, *kind.props) if PROPERTY_TYPES[n] == DICT]
            for b in range(len(BRANDS)):
                for values in cartesian(*(v for _, v in kind.dims)):
                    d = self._dims(kind, b, values)
                    for n, t in templates:
                        domains.setdefault(n, {})[t.format(**d)] = None
        for n, values in TAIL_DOMAINS.items():
            domains[n] = dict.fromkeys(values)
        return {n: (guid(seed, "property", n), t, {v: guid(seed, "value", n, v) for v in domains.get(n, ())})
                for n, t in PROPERTY_TYPES.items()}

    @staticmethod
    def _dims(kind: Kind, b: int, values: tuple) -> dict:
        d = {**kind.fixed, "brand": BRANDS[b].name, "series": kind.series[b], "code": kind.codes[b]}
        for (key, domain), value in zip(kind.dims, values, strict=True):
            d[key], d[key + "_n"] = value, domain.index(value)
        if "color" in d:
            d["color_f"] = FEMININE[d["color"]]
        return d

    def identity(self, i: int) -> tuple[Kind, int, dict, str, str]:
        """The kind, brand index, template values, name and article of product ``i``: the combination
        ``i`` mod the number of combinations, told apart by an ``исп. N`` suffix on later rounds."""
        k, b, c = self.combos[i % len(self.combos)]
        kind, values = KINDS[k], []
        for _, domain in reversed(kind.dims):
            c, pos = divmod(c, len(domain))
            values.append(domain[pos])
        d = self._dims(kind, b, tuple(reversed(values)))
        name = kind.name.format(**d)
        article = (kind.article if isinstance(kind.article, str) else kind.article[b]).format(**d)
        revision = i // len(self.combos)
        if revision:
            name, article = f"{name} исп. {revision + 1}", f"{article}/{revision + 1}"
        return kind, b, d, name, article

    def product(self, i: int) -> Product:
        """Product ``i`` with its offers; a pure function of the spec and ``i``."""
        spec, seed = self.spec, self.spec.seed
        rng = random.Random((seed << 40) + i)
        kind, b, d, name, article = self.identity(i)
        brand, pid = BRANDS[b], guid(seed, "product", i)
        # 0..1: where the product sits in its kind by the dims that drive price and weight
        keys = kind.price_by or (kind.dims[0][0],)
        sizes = dict(kind.dims)
        pos = sum(d[key + "_n"] / max(1, len(sizes[key]) - 1) for key in keys) / len(keys)
        scale = kind.fixed.get("pm", 1.0)
        rrc = kind.price[0] * (kind.price[1] / kind.price[0]) ** pos * brand.price_factor * scale
        rrc *= rng.uniform(0.94, 1.06)
        rrc = round(rrc) if rrc >= 1000 else round(rrc, 1)
        ratios = [rng.uniform(0.86, 0.93) for _ in spec.price_types]
        weight = kind.weight[0] * (kind.weight[1] / kind.weight[0]) ** pos * scale**0.7
        weight *= rng.uniform(0.9, 1.1)
        country = rng.choice(brand.countries)
        lab = rng.choice(("АЖ49", "НА36", "МЕ61", "ВН02"))
        certificate = f"{lab}.В.{rng.randrange(100000):05d}/{rng.randint(21, 26)}"
        d.update(
            country=country,
            warranty=rng.choice(brand.warranty_months),
            okpd2=kind.okpd2,
            climate=rng.choice(CLIMATES),
            cert=f"ЕАЭС RU С-{COUNTRY_CODES[country]}.{certificate}",
            width=rng.choice((18, 36, 54, 72, 85, 120, 210, 310)),
            height=rng.randint(40, 600),
            depth=rng.randint(30, 250),
        )
        properties = []
        chosen = (*HEAD_PROPERTIES, *kind.props, *TAIL_PROPERTIES)[: spec.properties_per_product]
        for prop_name, template in chosen:
            prop_id, value_type, value_ids = self.properties[prop_name]
            value = template.format(**d)
            properties.append((prop_id, value_ids[value] if value_type == DICT else value))
        description = f"{kind.about} Производитель {brand.name}, серия {d['series']}."
        if spec.pad_description_to:
            description = _pad(description, spec.pad_description_to, rng)
        images = (f"import_files/{pid[:2]}/{pid}_{guid(seed, 'image', i)}.jpg",) if spec.images else ()
        code = f"EL-{i + 1:07d}"
        values = (kind.vid, "Товар", name, number(round(weight, 3)), code, str(kind.pack), country,
                  kind.tnved, f"{d['warranty']} мес.", "шт")
        requisites = list(zip(REQUISITES, values, strict=True))[: spec.requisites_per_product]
        requisites += [("ОписаниеФайла", f"{path}#{name}") for path in images]
        deleted = bool(spec.deleted_every) and i % spec.deleted_every == spec.deleted_every - 1
        return Product(
            index=i,
            id=pid,
            ean=ean13(460_000_000_000 + (i * 7919 + seed * 104729) % 10**10),
            article=article,
            code=code,
            name=name,
            group_id=self.groups[kind.path],
            brand=b,
            description=description,
            properties=tuple(properties),
            requisites=tuple(requisites),
            images=images,
            deleted=deleted,
            offers=() if deleted else self._offers(i, pid, name, rrc, ratios, rng, kind),
        )

    def _offers(self, i: int, pid: str, name: str, rrc: float, ratios: list[float], rng: random.Random,
                kind: Kind) -> tuple[Offer, ...]:
        spec = self.spec
        characteristics: list[tuple[str, tuple[str, str] | None]] = [(pid, None)]
        if spec.variants_every and i % spec.variants_every == spec.variants_every - 1:
            label, values = kind.variant
            characteristics = [(f"{pid}#{guid(spec.seed, 'characteristic', i, n)}", (label, value))
                               for n, value in enumerate(values[: rng.choice((2, 3))])]
        offers = []
        for n, (offer_id, characteristic) in enumerate(characteristics):
            prices = self.prices(rrc * (1 + 0.04 * n), ratios)
            stock = self._stock(rng, rrc)
            transit = None
            if spec.in_transit_every and i % spec.in_transit_every == 0:
                eta = spec.generated_at.date() + timedelta(days=rng.randint(5, 45))
                store = rng.choice(self.warehouses)[0]
                transit = (rng.choice((50, 100, 200, 300, 500, 1000)), eta.isoformat(), store)
            title = _title(name, characteristic)
            offers.append(Offer(offer_id, title, prices, stock, transit, characteristic))
        return tuple(offers)

    def prices(self, rrc: float, ratios: list[float]) -> tuple[float, ...]:
        """Per price type, cheapest first: the last gets ``rrc`` (RUB), each earlier one 7-14 % less;
        strictly ascending in roubles, then converted to the type's currency."""
        rub = [rrc]
        for ratio in reversed(ratios[1:]):
            rub.append(rub[-1] * ratio)
        out, floor = [], 0.0
        for value, (_, _, currency) in zip(reversed(rub), self.price_types, strict=True):
            floor = max(round(value, 2), round(floor + 0.01, 2))
            out.append(round(floor / RATES.get(currency, 1.0), 2))
        return tuple(out)

    def _stock(self, rng: random.Random, rrc: float) -> tuple[int, ...]:
        """Per warehouse: 8 % of offers are out of stock everywhere, else 18 % of warehouses are empty;
        cheap goods are stocked deeper, the first warehouse (the main one) most."""
        if rng.random() < 0.08:
            return (0,) * len(self.warehouses)
        mu = 4.6 - 0.45 * math.log10(max(rrc, 10))
        return tuple(
            0 if rng.random() < 0.18 else max(1, int(rng.lognormvariate(mu + (0.5 if n == 0 else 0), 1)))
            for n in range(len(self.warehouses))
        )

    def changed(self, product: Product, salt: str, factor: float, rename: bool = False) -> Product:
        """``product`` with every price times ``factor`` (each moving by a kopeck at least) and every
        warehouse quantity moved the same way (so the total moves too); ``rename`` appends " (нов. ред.)"."""
        rng = random.Random(f"{self.spec.seed}:{salt}:{product.index}")
        name = f"{product.name} (нов. ред.)" if rename else product.name
        offers = []
        for offer in product.offers:
            step = 0.01 if factor >= 1 else -0.01
            prices = tuple(
                new if (new := round(p * factor, 2)) != p else round(p + step, 2) for p in offer.prices
            )
            if all(offer.stock) and rng.random() < 0.5:
                stock = tuple(q - rng.randint(1, q) for q in offer.stock)
            else:
                stock = tuple(q + rng.randint(1, 5 + q // 2) for q in offer.stock)
            title = _title(name, offer.characteristic)
            offers.append(replace(offer, name=title, prices=prices, stock=stock))
        requisites = tuple((n, name if n == "Полное наименование" else v) for n, v in product.requisites)
        return replace(product, name=name, requisites=requisites, offers=tuple(offers))


def _title(name: str, characteristic: tuple[str, str] | None) -> str:
    """An offer's Наименование: the product's, with the characteristic's value in brackets."""
    return f"{name} ({characteristic[1]})" if characteristic else name


def _pad(text: str, size: int, rng: random.Random) -> str:
    """``text`` followed by boilerplate sentences up to about ``size`` UTF-8 bytes."""
    parts, length = [text], len(text.encode())
    order = rng.sample(range(len(PADDING)), len(PADDING))
    n = 0
    while length < size:
        sentence = PADDING[order[n % len(order)]]
        parts.append(sentence)
        length += len(sentence.encode()) + 1
        n += 1
    return " ".join(parts)
