"""Finance tests share ``seller`` and ``alpha_order`` from ``tests/conftest.py``; DAY is their issue date."""

import datetime

DAY = datetime.date(2026, 11, 2)
