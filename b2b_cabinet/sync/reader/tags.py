"""CommerceML element names, qualified once per namespace.

Real files come without a namespace or with ``urn:1C.ru:commerceml_2``, ``_205``, ``_210`` or
``_3``. lxml reports tags as ``{namespace}local``, and building that string is the cost of every
``el.tag`` read, so the reader compares against strings built here once, never against local
names stripped on the fly (DESIGN.md §5).
"""

from __future__ import annotations

from functools import lru_cache

#: attribute on :class:`Tags` → CommerceML local name.
LOCAL_NAMES = {
    # document structure
    "ROOT": "КоммерческаяИнформация",
    "CLASSIFIER": "Классификатор",
    "CATALOG": "Каталог",
    "PACKAGE": "ПакетПредложений",
    "PACKAGE_CHANGES": "ИзмененияПакетаПредложений",
    "DOCUMENT": "Документ",
    "CONTRACTORS": "Контрагенты",
    "CONTAINER": "Контейнер",
    "GROUPS": "Группы",
    "GROUP": "Группа",
    "PROPERTIES": "Свойства",
    "PROPERTY": "Свойство",
    "PRICE_TYPES": "ТипыЦен",
    "PRICE_TYPE": "ТипЦены",
    "WAREHOUSES": "Склады",
    "WAREHOUSE": "Склад",
    "UNITS": "ЕдиницыИзмерения",
    "UNIT": "ЕдиницаИзмерения",
    "PRODUCTS": "Товары",
    "PRODUCT": "Товар",
    "OFFERS": "Предложения",
    "OFFER": "Предложение",
    # common fields
    "ID": "Ид",
    "CLASSIFIER_ID": "ИдКлассификатора",
    "CATALOG_ID": "ИдКаталога",
    "NAME": "Наименование",
    "VERSION": "НомерВерсии",
    "DELETION_MARK": "ПометкаУдаления",
    "VALUE": "Значение",
    "CODE": "Код",
    "SHORT_NAME": "НаименованиеКраткое",
    "FULL_NAME": "НаименованиеПолное",
    "INTL_ABBR": "МеждународноеСокращение",
    # classifier
    "VALUE_TYPE": "ТипЗначений",
    "VALUE_VARIANTS": "ВариантыЗначений",
    "DICTIONARY": "Справочник",
    "VALUE_ID": "ИдЗначения",
    "FOR_OFFERS": "ДляПредложений",
    "CURRENCY": "Валюта",
    "TAX": "Налог",
    "TAX_INCLUDED": "УчтеноВСумме",
    "ADDRESS": "Адрес",
    "PRESENTATION": "Представление",
    # products
    "BARCODE": "Штрихкод",
    "BARCODE_ALT": "ШтрихКод",
    "SKU": "Артикул",
    "DESCRIPTION": "Описание",
    "BASE_UNIT": "БазоваяЕдиница",
    "RECALC": "Пересчет",
    "UNIT_REF": "Единица",
    "RATIO": "Коэффициент",
    "PICTURE": "Картинка",
    "PRODUCER": "Изготовитель",
    "BRAND": "ТорговаяМарка",
    "PROPERTY_VALUES": "ЗначенияСвойств",
    "PROPERTY_VALUE": "ЗначенияСвойства",
    "PROPERTY_VALUE_ALT": "ЗначениеСвойства",
    "TAX_RATES": "СтавкиНалогов",
    "TAX_RATE": "СтавкаНалога",
    "RATE": "Ставка",
    "CHARACTERISTICS": "ХарактеристикиТовара",
    "CHARACTERISTIC": "ХарактеристикаТовара",
    "REQUISITES": "ЗначенияРеквизитов",
    "REQUISITE": "ЗначениеРеквизита",
    # offers
    "CHARACTERISTIC_ID": "ИдХарактеристики",
    "PRICES": "Цены",
    "PRICE": "Цена",
    "PRICE_TYPE_ID": "ИдТипаЦены",
    "PRICE_PER_UNIT": "ЦенаЗаЕдиницу",
    "MIN_QUANTITY": "МинКоличество",
    "QUANTITY": "Количество",
    "RESTS": "Остатки",
    "REST": "Остаток",
}

# Attribute names are never namespaced in CommerceML.
A_STATUS = "Статус"
A_SCHEMA_VERSION = "ВерсияСхемы"
A_GENERATED_AT = "ДатаФормирования"
A_ONLY_CHANGES = "СодержитТолькоИзменения"
A_WAREHOUSE_ID = "ИдСклада"
A_WAREHOUSE_QUANTITY = "КоличествоНаСкладе"
A_CODE = "Код"
A_FULL_NAME = "НаименованиеПолное"
A_INTL_ABBR = "МеждународноеСокращение"
STATUS_DELETED = "Удален"


class Tags:
    """Qualified names (``{ns}local``) for one namespace, as attributes named like LOCAL_NAMES.

    ``local`` maps a qualified name back to its local name, for error messages and the few cold
    paths that dispatch on names.
    """

    def __init__(self, namespace: str):
        self.namespace = namespace
        prefix = f"{{{namespace}}}" if namespace else ""
        self.local: dict[str, str] = {}
        for attribute, local_name in LOCAL_NAMES.items():
            qualified = prefix + local_name
            setattr(self, attribute, qualified)
            self.local[qualified] = local_name

    def table(self, codes: dict[str, int]) -> dict[str, int]:
        """Turn ``{"ID": 1, ...}`` into ``{"{ns}Ид": 1, ...}`` for one dict lookup per child."""
        return {getattr(self, attribute): code for attribute, code in codes.items()}

    def local_name(self, tag: object) -> str:
        """Local name of any tag (also foreign ones); ``""`` for comments and PIs."""
        if not isinstance(tag, str):
            return ""
        known = self.local.get(tag)
        if known is not None:
            return known
        return tag.rpartition("}")[2]


@lru_cache(maxsize=16)
def tags_for(namespace: str) -> Tags:
    """Return the (shared) :class:`Tags` for ``namespace``; ``""`` means no namespace."""
    return Tags(namespace)
