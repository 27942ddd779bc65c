"""Public holidays, from the holidays library (official calendars of countries and their
subdivisions): makertime keeps no holiday tables of its own."""

from __future__ import annotations

from datetime import date
from functools import cache

from makertime.errors import UnknownRegion


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


def resolve_region(code: str) -> str:
    """``code`` ("de-be", "HR") as the holidays library names it ("DE-BE", "HR"), or "" for
    none; UnknownRegion when the country or its subdivision is unknown."""
    code = code.strip().upper().replace("_", "-")
    if not code:
        return ""
    country, _, subdivision = code.partition("-")
    known = holiday_regions()
    if country not in known:
        raise UnknownRegion("is not a country whose public holidays makertime knows",
                            'write an ISO 3166 code such as "DE", "HR" or "US"')
    if not subdivision:
        return country
    named = {s.upper(): s for s in known[country]}
    if subdivision not in named:
        codes = sorted(s for s in known[country] if len(s) <= 3) or ["none"]
        listed = ", ".join(codes[:16]) + (", …" if len(codes) > 16 else "")
        raise UnknownRegion(f"is not a subdivision of {country} (known: {listed})")
    return f"{country}-{named[subdivision]}"
