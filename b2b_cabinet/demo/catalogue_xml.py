"""CommerceML 2.07 text for the demo catalogue: literal templates, tab-indented exactly as 1C writes them.

The templates are the documentation of the shape (see ``catalogue`` for the conventions); the
functions fill them from ``catalogue_synth`` values. Plain string formatting keeps writing 150,000
products fast; every free text goes through ``_x`` (escaping ``& < > "``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalogue_content import BRANDS
from .catalogue_synth import REGIONS, Assortment, Offer, Product

ROOT = (
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'ВерсияСхемы="2.07" ДатаФормирования="{stamp}">\n'
)
OWNER_NAME, OWNER_INN, OWNER_KPP = "ЭлектроКомплект ООО", "6670123458", "667001001"
CLASSIFIER = """\
	<Классификатор>
		<Ид>{id}</Ид>
		<Наименование>Классификатор (Каталог товаров)</Наименование>
{owner}"""
OWNER = """\
		<Владелец>
			<Ид>{id}</Ид>
			<Наименование>{name}</Наименование>
			<ОфициальноеНаименование>{name}</ОфициальноеНаименование>
			<ИНН>{inn}</ИНН>
			<КПП>{kpp}</КПП>
			<ОКПО/>
		</Владелец>
"""
PROPERTY = """\
			<Свойство>
				<Ид>{}</Ид>
				<Наименование>{}</Наименование>
				<ТипЗначений>{}</ТипЗначений>
{}\
			</Свойство>
"""
VARIANT = """\
					<Справочник>
						<ИдЗначения>{}</ИдЗначения>
						<Значение>{}</Значение>
					</Справочник>
"""
CATALOGUE = """\
		</Свойства>
	</Классификатор>
	<Каталог СодержитТолькоИзменения="{flag}">
		<Ид>{id}</Ид>
		<ИдКлассификатора>{id}</ИдКлассификатора>
		<Наименование>Каталог товаров</Наименование>
{owner}\
		<Товары>
"""
UNIT = """\
				<БазоваяЕдиница Код="796" НаименованиеПолное="Штука">
					<Пересчет>
						<Единица>796</Единица>
						<Коэффициент>1</Коэффициент>
					</Пересчет>
				</БазоваяЕдиница>
"""
PRODUCT = """\
			<Товар{status}>
				<Ид>{id}</Ид>
				<Штрихкод>{ean}</Штрихкод>
				<Артикул>{article}</Артикул>
				<Наименование>{name}</Наименование>
{unit}\
				<Группы>
					<Ид>{group}</Ид>
				</Группы>
				<Описание>{description}</Описание>
{pictures}\
				<Изготовитель>
					<Ид>{brand_id}</Ид>
					<Наименование>{brand}</Наименование>
				</Изготовитель>
{properties}\
				<СтавкиНалогов>
					<СтавкаНалога>
						<Наименование>НДС</Наименование>
						<Ставка>20</Ставка>
					</СтавкаНалога>
				</СтавкиНалогов>
{requisites}\
			</Товар>
"""
PICTURE = "				<Картинка>{}</Картинка>\n"
PROPERTY_VALUE = """\
					<ЗначенияСвойства>
						<Ид>{}</Ид>
						<Значение>{}</Значение>
					</ЗначенияСвойства>
"""
REQUISITE = """\
					<ЗначениеРеквизита>
						<Наименование>{}</Наименование>
						<Значение>{}</Значение>
					</ЗначениеРеквизита>
"""
IMPORT_TAIL = "		</Товары>\n	</Каталог>\n</КоммерческаяИнформация>\n"
OFFERS = """\
	</Классификатор>
	<ПакетПредложений СодержитТолькоИзменения="{flag}">
		<Ид>{id}#</Ид>
		<Наименование>Пакет предложений (Каталог товаров)</Наименование>
		<ИдКаталога>{id}</ИдКаталога>
		<ИдКлассификатора>{id}</ИдКлассификатора>
{owner}\
		<ТипыЦен>
"""
PRICE_TYPE = """\
			<ТипЦены>
				<Ид>{}</Ид>
				<Наименование>{}</Наименование>
				<Валюта>{}</Валюта>
				<Налог>
					<Наименование>НДС</Наименование>
					<УчтеноВСумме>true</УчтеноВСумме>
					<Акциз>false</Акциз>
				</Налог>
			</ТипЦены>
"""
STORE = """\
			<Склад>
				<Ид>{id}</Ид>
				<Наименование>{name}</Наименование>
				<Адрес>
					<Представление>РОССИЯ, {region}, {city}</Представление>
					<АдресноеПоле>
						<Тип>Страна</Тип>
						<Значение>РОССИЯ</Значение>
					</АдресноеПоле>
					<АдресноеПоле>
						<Тип>Регион</Тип>
						<Значение>{region}</Значение>
					</АдресноеПоле>
					<АдресноеПоле>
						<Тип>Город</Тип>
						<Значение>{city}</Значение>
					</АдресноеПоле>
				</Адрес>
			</Склад>
"""
OFFER = """\
			<Предложение>
				<Ид>{}</Ид>
				<Артикул>{}</Артикул>
				<Наименование>{}</Наименование>
{}\
{}\
{}\
				<Цены>
{}\
				</Цены>
				<Количество>{}</Количество>
{}\
			</Предложение>
"""
CHARACTERISTIC = """\
				<ХарактеристикиТовара>
					<ХарактеристикаТовара>
						<Наименование>{}</Наименование>
						<Значение>{}</Значение>
					</ХарактеристикаТовара>
				</ХарактеристикиТовара>
"""
PRICE = """\
					<Цена>
						<Представление>{} {} за шт</Представление>
						<ИдТипаЦены>{}</ИдТипаЦены>
						<ЦенаЗаЕдиницу>{:.2f}</ЦенаЗаЕдиницу>
						<Валюта>{}</Валюта>
						<Единица>шт</Единица>
						<Коэффициент>1</Коэффициент>
					</Цена>
"""
STOCK = '				<Склад ИдСклада="{}" КоличествоНаСкладе="{}"/>\n'
OFFERS_TAIL = "		</Предложения>\n	</ПакетПредложений>\n</КоммерческаяИнформация>\n"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _x(text: object) -> str:
    """``text`` escaped for element content and double-quoted attribute values."""
    text = str(text)
    return text.translate(_ESCAPES) if ("&" in text or "<" in text or ">" in text or '"' in text) else text


def _head(assortment: Assortment) -> tuple[str, str]:
    """The XML declaration, the root and the start of Классификатор; and the Владелец block."""
    owner = OWNER.format(id=assortment.owner_id, name=OWNER_NAME, inn=OWNER_INN, kpp=OWNER_KPP)
    stamp = assortment.spec.generated_at.strftime("%Y-%m-%dT%H:%M:%S")
    return ROOT.format(stamp=stamp) + CLASSIFIER.format(id=assortment.catalogue_id, owner=owner), owner


def _groups_xml(assortment: Assortment, parent: tuple[str, ...] = (), tabs: str = "\t\t") -> str:
    """The Группы tree under ``parent``, recursively (three levels in the demo)."""
    children = [path for path in assortment.groups if len(path) == len(parent) + 1 and path[:-1] == parent]
    if not children:
        return ""
    t, deeper = tabs + "\t", tabs + "\t\t"
    inner = "".join(
        f"{t}<Группа>\n{t}\t<Ид>{assortment.groups[path]}</Ид>\n{t}\t<Наименование>{_x(path[-1])}</Наименование>\n"
        f"{_groups_xml(assortment, path, deeper)}{t}</Группа>\n"
        for path in children
    )
    return f"{tabs}<Группы>\n{inner}{tabs}</Группы>\n"


def import_head(assortment: Assortment, flag: str) -> str:
    head, owner = _head(assortment)
    out = [head, _groups_xml(assortment), "\t\t<Свойства>\n"]
    for name, (prop_id, value_type, values) in assortment.properties.items():
        variants = "".join(VARIANT.format(value_id, _x(value)) for value, value_id in values.items())
        variants = f"\t\t\t\t<ВариантыЗначений>\n{variants}\t\t\t\t</ВариантыЗначений>\n" if variants else ""
        out.append(PROPERTY.format(prop_id, _x(name), value_type, variants))
    out.append(CATALOGUE.format(flag=flag, id=assortment.catalogue_id, owner=owner))
    return "".join(out)


def offers_head(assortment: Assortment, flag: str) -> str:
    head, owner = _head(assortment)
    out = [head, OFFERS.format(flag=flag, id=assortment.catalogue_id, owner=owner)]
    out.extend(PRICE_TYPE.format(type_id, _x(name), _x(cur)) for type_id, name, cur in assortment.price_types)
    out.append("\t\t</ТипыЦен>\n\t\t<Склады>\n")
    for store_id, name, city in assortment.warehouses:
        region = REGIONS.get(city, city)
        out.append(STORE.format(id=store_id, name=_x(name), region=_x(region), city=_x(city)))
    out.append("\t\t</Склады>\n\t\t<Предложения>\n")
    return "".join(out)


def _requisites(pairs: Iterable[tuple[str, object]]) -> str:
    body = "".join(REQUISITE.format(name, _x(value)) for name, value in pairs)
    return f"\t\t\t\t<ЗначенияРеквизитов>\n{body}\t\t\t\t</ЗначенияРеквизитов>\n" if body else ""


def product_xml(assortment: Assortment, p: Product) -> str:
    values = "".join(PROPERTY_VALUE.format(prop_id, _x(value)) for prop_id, value in p.properties)
    return PRODUCT.format(
        status=' Статус="Удален"' if p.deleted else "",
        id=p.id,
        ean=p.ean,
        article=_x(p.article),
        name=_x(p.name),
        unit=UNIT,
        group=p.group_id,
        description=_x(p.description),
        pictures="".join(PICTURE.format(path) for path in p.images),
        brand_id=assortment.brand_ids[p.brand],
        brand=_x(BRANDS[p.brand].name),
        properties=f"\t\t\t\t<ЗначенияСвойств>\n{values}\t\t\t\t</ЗначенияСвойств>\n" if values else "",
        requisites=_requisites(p.requisites),
    )


def _money(value: float) -> str:
    """``1719.5`` -> ``1 719,50`` with a no-break space, as 1C formats Представление."""
    rubles, kopecks = divmod(round(value * 100), 100)
    return f"{rubles:,}".replace(",", "\u00a0") + f",{kopecks:02d}"


def offer_xml(assortment: Assortment, p: Product, o: Offer) -> str:
    transit = ""
    if o.transit:
        quantity, eta, store = o.transit
        pairs = (("Количество в пути", quantity), ("Дата поступления", eta), ("Склад поступления", store))
        transit = _requisites(pairs)
    prices = "".join(
        PRICE.format(_money(price), _x(currency), type_id, price, _x(currency))
        for price, (type_id, _, currency) in zip(o.prices, assortment.price_types, strict=True)
    )
    stores = zip(assortment.warehouses, o.stock, strict=True)
    stock = "".join(STOCK.format(store[0], quantity) for store, quantity in stores)
    return OFFER.format(
        o.id,
        _x(p.article),
        _x(o.name),
        UNIT,
        CHARACTERISTIC.format(*map(_x, o.characteristic)) if o.characteristic else "",
        transit,
        prices,
        sum(o.stock),
        stock,
    )
