"""StreamField blocks for marketing pages and for editorial content on products; re-exported here."""

from .audience import AudienceDownloadsBlock, DocumentListBlock, SegmentNavigationBlock
from .case_study import CaseStudyBlock
from .choosers import ProductChooserBlock
from .compatibility import CertificatesBlock, ComparisonTableBlock, CompatibilityBlock
from .editorial import CallToActionBlock, EditorialStreamBlock, FormCallToActionBlock, ProductEditorialStreamBlock
from .pricing import PriceCalculatorBlock, PricingTiersBlock

__all__ = [
    "AudienceDownloadsBlock",
    "CallToActionBlock",
    "CaseStudyBlock",
    "CertificatesBlock",
    "ComparisonTableBlock",
    "CompatibilityBlock",
    "DocumentListBlock",
    "EditorialStreamBlock",
    "FormCallToActionBlock",
    "PriceCalculatorBlock",
    "PricingTiersBlock",
    "ProductChooserBlock",
    "ProductEditorialStreamBlock",
    "SegmentNavigationBlock",
]
