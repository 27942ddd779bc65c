"""Public holidays, from the holidays library (official calendars of countries and their
subdivisions): makertime keeps no holiday tables of its own."""

from __future__ import annotations

from datetime import date
from functools import cache


def public_holiday(region: str, day: date) -> str | None:
    """The name of the public holiday of ``region`` (``"DE"``, ``"DE-BE"``) on ``day``, or None."""
    return _holiday_table(region, day.year).get(day)


@cache
def _holiday_table(region: str, year: int) -> dict[date, str]:
    import holidays  # imported on first use: it is only needed when a region is set

    country, _, subdivision = region.partition("-")
    table = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return {day: str(name) for day, name in table.items()}


def holiday_regions() -> dict[str, tuple[str, ...]]:
    """Every country the holidays library knows, with its subdivisions."""
    import holidays

    return {country: tuple(subdivisions)
            for country, subdivisions in holidays.list_supported_countries().items()}
