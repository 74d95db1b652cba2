"""Marketing blocks render their content accessibly and refuse inconsistent input."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from b2b_cabinet.blocks import (
    AudienceDownloadsBlock,
    CaseStudyBlock,
    ComparisonTableBlock,
    EditorialStreamBlock,
    PriceCalculatorBlock,
    ProductEditorialStreamBlock,
    SegmentNavigationBlock,
    formula,
)
from b2b_cabinet.blocks.pricing import calculate
from b2b_cabinet.models.customers import inn_checksum_is_valid, inn_checksum_validator
from tests import factories as f

MARKETING_BLOCKS = [name for name in EditorialStreamBlock.base_blocks if name not in ("heading", "paragraph", "image")]


def render(block, raw: dict, query: str = "") -> str:
    value = block.to_python(raw)
    return block.render(value, context={"request": RequestFactory().get("/" + query)})


@pytest.mark.django_db
@pytest.mark.parametrize("name", MARKETING_BLOCKS)
def test_every_marketing_block_has_an_icon_a_template_a_description_and_renders_its_preview(name):
    block = EditorialStreamBlock.base_blocks[name]
    assert block.meta.icon not in ("", "placeholder")
    assert block.meta.template and block.meta.description
    html = block.render(block.get_preview_value(), context={"request": RequestFactory().get("/")})
    assert "<h2" in html or "<caption>" in html  # every block is introduced by a heading or a caption


@pytest.mark.django_db
def test_products_and_categories_can_hold_compatibility_certificates_and_documents():
    assert {"compatibility", "certificates", "documents"} <= set(ProductEditorialStreamBlock.base_blocks)


@pytest.mark.django_db
def test_a_case_study_shows_challenge_solution_figures_quote_and_products():
    product = f.product(name="Счётчик Меркурий 234", sku="M234")
    raw = {**CaseStudyBlock().meta.preview_value, "related_products": [product.pk], "images": []}
    html = render(CaseStudyBlock(), raw)
    assert "АО «Уралэнергосбыт»" in html
    assert "−18 %" in html and "срок окупаемости" in html
    assert "<blockquote>" in html and "Сергей Петров" in html
    assert "M234 Счётчик Меркурий 234" in html


def test_a_comparison_row_with_a_missing_alternative_value_is_refused():
    block = ComparisonTableBlock()
    raw = {**ComparisonTableBlock().meta.preview_value}
    raw["rows"] = [{"criterion": "Гарантия", "ours": "7 лет", "theirs": ["3 года"]}]  # two alternatives
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(raw))


def test_a_comparison_table_has_a_caption_and_header_cells():
    html = render(ComparisonTableBlock(), ComparisonTableBlock().meta.preview_value)
    assert "<caption>Сравнение с аналогами</caption>" in html
    assert '<th scope="row">Гарантия</th>' in html and '<th scope="col" class="ours">Меркурий 234</th>' in html


def test_segments_must_be_mutually_exclusive():
    block = SegmentNavigationBlock()
    raw = {
        "title": "Кому",
        "dimension": "size",
        "segments": [
            {"name": "Дилеры", "description": "", "page": None},
            {"name": "дилеры ", "description": "", "page": None},
        ],
    }
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw))


def test_downloads_need_a_document_for_at_least_one_audience():
    block = AudienceDownloadsBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(AudienceDownloadsBlock().meta.preview_value))


# --- Price calculator -----------------------------------------------------------------------------

CALCULATOR = {
    "title": "Расчёт",
    "formula": "points * 1000 + 5000",
    "spread_percent": "10",
    "product": None,
    "note": "",
    "inputs": [
        {
            "name": "points",
            "label": "Точек учёта",
            "unit": "шт.",
            "minimum": "1",
            "maximum": "100",
            "default": "10",
            "step": "1",
        }
    ],
}


def test_the_calculator_gives_a_range_around_the_formula_for_the_defaults():
    result = calculate(PriceCalculatorBlock().to_python(CALCULATOR), {})
    assert (result["low"], result["high"]) == (Decimal("13500"), Decimal("16500"))


def test_the_calculator_reads_the_visitors_values_and_clamps_them_to_the_bounds():
    block = PriceCalculatorBlock()
    value = block.to_python(CALCULATOR)
    prefix = calculate(value, {})["prefix"]
    assert calculate(value, {f"{prefix}-points": "20"})["high"] == Decimal("27500")
    assert calculate(value, {f"{prefix}-points": "100000"})["fields"][0]["value"] == Decimal("100")
    assert calculate(value, {f"{prefix}-points": "nan"})["fields"][0]["value"] == Decimal("10")


@pytest.mark.django_db
def test_the_calculator_renders_a_labelled_get_form_and_the_range():
    html = render(PriceCalculatorBlock(), CALCULATOR)
    assert '<form method="get"' in html and "<label for=" in html
    assert "13,500" in html and "16,500" in html and 'aria-live="polite"' in html


@pytest.mark.django_db
def test_the_calculator_uses_the_products_live_price():
    product = f.product()
    f.price(product, f.price_type("Оптовая", is_default=True), value="250.00")
    raw = {**CALCULATOR, "formula": "price * points", "spread_percent": "0", "product": product.pk}
    result = calculate(PriceCalculatorBlock().to_python(raw), {})
    assert result["low"] == result["high"] == Decimal("2500")


@pytest.mark.django_db
def test_the_calculator_says_so_when_the_product_has_no_price():
    raw = {**CALCULATOR, "formula": "price * points", "product": f.product().pk}
    result = calculate(PriceCalculatorBlock().to_python(raw), {})
    assert result["low"] is None and result["error"]


@pytest.mark.parametrize(
    ("bad_formula", "product"),
    [("points * unknown", None), ("points ** 2", None), ("__import__('os').system('id')", None), ("price * 2", None)],
)
def test_the_calculator_refuses_formulas_it_cannot_evaluate_safely(bad_formula, product):
    block = PriceCalculatorBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**CALCULATOR, "formula": bad_formula, "product": product}))


def test_formulas_evaluate_in_decimal_with_min_max_and_round():
    assert formula.evaluate("round(max(a, 2) / 3, 2) - -1", {"a": Decimal("10")}) == Decimal("4.33")
    with pytest.raises(formula.FormulaError):
        formula.evaluate("a / 0", {"a": Decimal(1)})
    with pytest.raises(formula.FormulaError):
        formula.evaluate("a.__class__", {"a": Decimal(1)})


# --- ИНН ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("inn", [f.VALID_INN_10, f.VALID_INN_12])
def test_inn_with_correct_check_digits_is_accepted(inn):
    assert inn_checksum_is_valid(inn)
    inn_checksum_validator(inn)


@pytest.mark.parametrize("inn", ["7707083894", "500100732258", "500100732269"])
def test_inn_with_a_wrong_check_digit_is_refused(inn):
    assert not inn_checksum_is_valid(inn)
    with pytest.raises(ValidationError):
        inn_checksum_validator(inn)


@pytest.mark.django_db
def test_an_editorial_stream_refuses_a_broken_block_inside_it():
    stream = EditorialStreamBlock()
    raw = [{"type": "comparison_table", "value": {**ComparisonTableBlock().meta.preview_value, "alternatives": ["A"]}}]
    with pytest.raises(StreamBlockValidationError):
        stream.clean(stream.to_python(raw))
