"""The store's clock: every stored time is UTC (``now``), every effective date a day in Japan (``today_jst``)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

UTC = datetime.UTC
JST = ZoneInfo("Asia/Tokyo")


def utc(moment: datetime.datetime) -> datetime.datetime:
    """SQLite hands back naive datetimes: every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def now() -> datetime.datetime:
    """The moment, in UTC: what every stored time is."""
    return datetime.datetime.now(UTC)


def today_jst() -> datetime.date:
    return datetime.datetime.now(JST).date()
