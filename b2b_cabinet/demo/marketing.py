"""Demo marketing site in Russian: lead forms, case studies, segment landings, compatibility and pricing.

Called by ``manage.py b2b_demo`` after the catalogue is imported (the price calculator uses a live
product price). Every function finds its pages by slug first, so running the demo twice changes nothing.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page

from b2b_cabinet.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    ContentPage,
    LeadFormField,
    LeadFormPage,
    Price,
    SegmentLandingPage,
)

from . import marketing_content as content


def _document(title: str, filename: str):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document.objects.create(title=title, file=ContentFile(content.DEMO_PDF, name=filename))
    return document


def _child(parent: Page, model, slug: str, **fields) -> Page:
    """The parent's child page with this slug, created (live, shown in menus) when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, show_in_menus=fields.pop("show_in_menus", False), **fields)
    parent.add_child(instance=page)
    return page


def _cta(title: str, text: str, button: str, form: LeadFormPage, phone: str = "") -> dict:
    return {"type": "form_call_to_action", "value": {
        "title": title, "text": text, "button_text": button, "form_page": form.pk, "phone": phone}}


def ensure_lead_forms(home: Page) -> dict[str, LeadFormPage]:
    """The three target actions: distributor application, gated catalogue download, call me back."""
    brochure = _document("Каталог продукции 2026", "katalog-2026.pdf")
    forms = {}
    for spec in content.LEAD_FORMS:
        extra = {"brochure": brochure} if spec["kind"] == "brochure" else {}
        page = _child(
            home, LeadFormPage, spec["slug"], title=spec["title"], kind=spec["kind"], intro=spec["intro"],
            thank_you_text=spec["thank_you"], to_address="sales@example.com", from_address="site@example.com",
            subject=f"Сайт: {spec['title']}", **extra,
        )
        if not page.form_fields.exists():
            for order, (label, field_type, required, choices) in enumerate(spec["fields"]):
                LeadFormField.objects.create(page=page, sort_order=order, label=label, field_type=field_type,
                                             required=required, choices=choices)
        forms[spec["kind"]] = page
    return forms


def ensure_case_studies(home: Page) -> CaseStudyIndexPage:
    """A case study index with two stories from different industries and segments."""
    index = _child(home, CaseStudyIndexPage, "cases", title="Кейсы клиентов", show_in_menus=True,
                   intro="<p>Как партнёры и заказчики решают задачи учёта и распределения энергии.</p>")
    for story in content.CASE_STUDIES:
        block = {
            "client": story["client"], "industry": story["industry"], "challenge": story["challenge"],
            "solution": story["solution"], "details": story["details"], "images": [], "related_products": [],
            "results": [{"figure": figure, "label": label} for figure, label in story["results"]],
            "quote": dict(zip(("text", "author", "position"), story["quote"], strict=True)),
        }
        _child(index, CaseStudyPage, story["slug"], title=story["title"], client=story["client"],
               industry=story["industry"], segment=story["segment"], summary=story["summary"],
               body=[{"type": "case_study", "value": block}])
    return index


def ensure_segment_pages(home: Page, forms: dict[str, LeadFormPage]) -> list[SegmentLandingPage]:
    """One landing page per company-size segment."""
    pages = []
    for slug, title, segment, description in content.SEGMENTS:
        body = [_cta("Обсудить условия", description.capitalize() + ": подберём условия под ваш объём.",
                     "Перезвоните мне", forms["callback"])]
        pages.append(_child(home, SegmentLandingPage, slug, title=title, segment=segment, body=body,
                            intro=f"<p>Решения для вас: {description}.</p>"))
    return pages


def ensure_compatibility_page(home: Page, forms: dict[str, LeadFormPage]) -> ContentPage:
    """Compatibility, a comparison with alternatives, certificates and downloads per audience."""
    manual = _document("Руководство по подключению «Меркурий 234»", "podklyuchenie-m234.pdf")
    iso = _document("Сертификат ISO 9001:2015", "iso-9001.pdf")
    brief = _document("Экономика внедрения: расчёт окупаемости", "ekonomika.pdf")
    download = {"title": manual.title, "document": manual.pk, "description": "Схемы, настройка модема, протоколы"}
    body = [
        {"type": "compatibility", "value": {
            "title": "Совместимость счётчиков «Меркурий 234»", "integrations": content.INTEGRATIONS,
            "variant_advantages": [
                {"variant": "Меркурий 234 ARTM", "advantages": "Встроенный GSM-модем\nДва тарифных интерфейса"},
                {"variant": "Меркурий 234 ART2", "advantages": "PLC-модем: связь по силовой линии"},
            ],
            "support": "<p>Техподдержка партнёров 8:00–20:00 по Москве, выезд инженера на объект.</p>",
            "standards": [{"name": "ГОСТ 31818.11-2012", "issuer": "Росстандарт"},
                          {"name": "ГОСТ 31819.22-2012", "issuer": "Росстандарт"}],
            "requirements": [{"name": "Температура", "value": "−40…+70 °C"},
                             {"name": "Питание", "value": "3×230/400 В, 50 Гц"},
                             {"name": "ОС сервера опроса", "value": "Windows Server 2019+, Astra Linux 1.7"}],
            "documents": [manual.pk],
            "api": "<p>REST API и облачный сервис опроса: показания в JSON, вебхуки о событиях.</p>",
        }},
        {"type": "comparison_table", "value": content.COMPARISON},
        {"type": "certificates", "value": {"title": "Сертификаты", "certificates": [
            {"standard": "ISO 9001:2015", "issuer": "Bureau Veritas", "valid_until": "2028-05-31", "document": iso.pk},
            {"standard": "ТР ТС 004/2011", "issuer": "ЕАЭС", "valid_until": None, "document": None}]}},
        {"type": "audience_downloads", "value": {
            "title": "Материалы", "end_users_heading": "Инженерам и монтажникам", "end_users": [download],
            "decision_makers_heading": "Руководителям",
            "decision_makers": [{"title": brief.title, "document": brief.pk, "description": "Окупаемость и риски"}]}},
        _cta("Нужна консультация инженера?", "Поможем подобрать оборудование под вашу систему.",
             "Перезвоните мне", forms["callback"], "+7 343 000-00-00"),
    ]
    return _child(home, ContentPage, "compatibility", title="Совместимость и сертификаты", show_in_menus=True,
                  body=body)


def ensure_pricing_page(home: Page, forms: dict[str, LeadFormPage]) -> ContentPage:
    """Tiers per company size and a calculator on a live product price."""
    price = Price.objects.filter(price_type__is_default=True, variant__isnull=True).select_related("product").first()
    calculator = {
        "title": "Сколько стоит оснастить объект", "spread_percent": "15",
        "note": "Ориентировочно, с монтажом. Точную цену назовёт менеджер.",
        "inputs": [{"name": "points", "label": "Точек учёта", "unit": "шт.", "minimum": "1", "maximum": "5000",
                    "default": "50", "step": "1"}],
        "product": price.product_id if price else None,
        "formula": "price * points * 1.15 + 25000" if price else "points * 12500 + 25000",
    }
    tiers = [{**tier, "button_text": "Оставить заявку", "page": forms["distributor"].pk, "url": ""}
             for tier in content.TIERS]
    body = [
        {"type": "pricing_tiers", "value": {
            "title": "Условия для партнёров", "tiers": tiers, "note": "Цены без НДС, при годовом договоре.",
            "manager_text": "Обсудить с менеджером", "manager_page": forms["callback"].pk}},
        {"type": "price_calculator", "value": calculator},
    ]
    return _child(home, ContentPage, "prices", title="Цены для партнёров", show_in_menus=True, body=body)


def ensure_home_blocks(home: ContentPage, segments: list[SegmentLandingPage], forms: dict[str, LeadFormPage]) -> None:
    """Segment navigation and a distributor call to action on the home page, added once."""
    if any(block.block_type == "segment_navigation" for block in home.body):
        return
    navigation = {"type": "segment_navigation", "value": {
        "title": "Решения для вашей компании", "dimension": "size",
        "segments": [{"name": page.title, "description": description, "page": page.pk}
                     for page, (_slug, _title, _segment, description) in zip(segments, content.SEGMENTS, strict=True)]}}
    distributor = _cta("Станьте дистрибьютором", "Персональные цены, отсрочка платежа и личный кабинет с остатками.",
                       "Оставить заявку", forms["distributor"], "+7 343 000-00-00")
    brochure = _cta("Каталог продукции 2026", "Характеристики, схемы и сертификаты в одном файле.",
                    "Скачать каталог", forms["brochure"])
    home.body = [*home.body.raw_data, navigation, distributor, brochure]
    home.save_revision().publish()


def ensure_marketing(pages: dict[str, Page]) -> dict[str, Page]:
    """The whole demo marketing site under the home page."""
    home = pages["home"].specific
    forms = ensure_lead_forms(home)
    index = ensure_case_studies(home)
    segments = ensure_segment_pages(home, forms)
    compatibility = ensure_compatibility_page(home, forms)
    pricing = ensure_pricing_page(home, forms)
    ensure_home_blocks(home, segments, forms)
    return {"cases": index, "compatibility": compatibility, "pricing": pricing, **forms}
