"""StreamField blocks for marketing pages; re-exported here."""

from .editorial import CallToActionBlock, EditorialStreamBlock

__all__ = ["CallToActionBlock", "EditorialStreamBlock"]
