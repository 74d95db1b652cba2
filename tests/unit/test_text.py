"""Slugs for Russian names."""

from b2b_cabinet.templatetags.b2b_cabinet_tags import money, qty
from b2b_cabinet.text import slugify_ru


def test_russian_names_become_readable_ascii_slugs():
    assert slugify_ru("Автоматические выключатели") == "avtomaticheskie-vyklyuchateli"
    assert slugify_ru("Щиты и боксы 1P") == "shchity-i-boksy-1p"


def test_an_unsluggable_name_still_gets_a_slug():
    assert slugify_ru("!!!") == "item"


def test_quantities_drop_trailing_zeros():
    assert qty("12.000") == "12"
    assert qty("2.500") == "2.5"
    assert qty("100") == "100"


def test_money_is_formatted_the_russian_way():
    assert money("1719.5") == "1\u00a0719,50"
