"""The ITA catalogue of FY 2565 from data/, for tests that import a plan (the plan is read against its table)."""

from django.conf import settings

from oit.catalogue_import import load_indicators, load_year

DATA = settings.BASE_DIR / "data"


def load_indicator_table(year: int = 2565) -> None:
    """FY 2565's ITA indicator table (official names, IIT/EIT/OIT groups), loaded as fiscal year `year`'s."""
    load_indicators((DATA / "ita-2565-indicators.csv").read_bytes(), year=year)


def load_catalogue_2565() -> None:
    load_year(DATA, year=2565)
