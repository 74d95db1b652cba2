"""Settings for the example site: base (shared), dev, test and production."""
