"""The reader's language and Japanese dates for the web pages.

Japanese is the default. A reader switches with ``?lang=en`` (remembered in a cookie, so the choice sticks);
without either, the browser's Accept-Language decides. Dates are written the Japanese way, with the era
(令和) beside the Western year where a person expects it.
"""

from __future__ import annotations

import datetime

from starlette.requests import Request

from renkei.core.messages import DEFAULT, LANGUAGES

COOKIE = "renkei_lang"

# Era start dates: a date belongs to the last era that started on or before it.
_ERAS = (
    (datetime.date(2019, 5, 1), "令和", "Reiwa"),
    (datetime.date(1989, 1, 8), "平成", "Heisei"),
    (datetime.date(1926, 12, 25), "昭和", "Showa"),
)


def negotiate(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return _accept_language(request.headers.get("accept-language", ""))


def _accept_language(header: str) -> str:
    """The first supported language by quality; Japanese when none is."""
    choices = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, position, primary))
    return min(choices)[2] if choices else DEFAULT


def era_year(date: datetime.date, lang: str = DEFAULT) -> str:
    """令和6年 (Reiwa 6); the first year of an era is 元年 in Japanese."""
    for start, japanese, english in _ERAS:
        if date >= start:
            year = date.year - start.year + 1
            if lang == "ja":
                return f"{japanese}{'元' if year == 1 else year}年"
            return f"{english} {year}"
    return str(date.year)


def format_date(value: datetime.date | datetime.datetime | None, lang: str = DEFAULT) -> str:
    """2024年4月1日（令和6年） or 1 April 2024 (Reiwa 6)."""
    if value is None:
        return ""
    date = value.date() if isinstance(value, datetime.datetime) else value
    if lang == "ja":
        return f"{date.year}年{date.month}月{date.day}日（{era_year(date, lang)}）"
    return f"{date.day} {date.strftime('%B')} {date.year} ({era_year(date, lang)})"


def format_datetime(value: datetime.datetime | None, lang: str = DEFAULT) -> str:
    """A moment in Japan's time zone, which is the registry's users' own."""
    if value is None:
        return ""
    local = value.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    return f"{format_date(local, lang)} {local:%H:%M}"
