"""The partner-facing cabinet: views, forms and URLs, mounted by ``CabinetPage``."""
