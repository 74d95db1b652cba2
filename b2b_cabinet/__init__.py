"""wagtail-b2b-cabinet: a B2B trade portal for Wagtail, synchronised with 1C:Enterprise."""

__version__ = "0.1.0"
