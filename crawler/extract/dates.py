"""Dates as boards write them, in any of the forms ministries use.

Numeric (2025-08-09, 2025.8.9, 2025/08/09 10:30), Korean (2025년 8월 9일),
Chinese and Japanese (2025年8月9日, full-width digits too), Japanese eras
(令和7年8月9日, 令和元年, 平成30年) and the Republic of China's (民國114年),
and dates in words in the languages boards publish in ("9 August 2025",
"August 9, 2025", "9 août 2025", "9 de agosto de 2025", "9. August 2025").
Day-first and month-first numeric dates (09/08/2025) cannot be told apart
without the site's locale: they are read only when the caller says which
(``month_first``, from the profile's country), else left to a profile's
strptime formats.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from datetime import tzinfo as datetime_tzinfo

# First year of each era, minus one: 令和元年 (year 1) is 2019.
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867, "民國": 1911, "民国": 1911}

_MONTH_NAMES = {
    1: "january jan janvier janv enero ene januar jän janeiro gennaio gen januari",
    2: "february feb février fevrier févr fevr febrero febr februar fevereiro fev febbraio februari",
    3: "march mar mars marzo märz marz março marco maart",
    4: "april apr avril avr abril abr aprile",
    5: "may mai mayo maio maggio mag mei",
    6: "june jun juin junio juni junho giugno giu",
    7: "july jul juillet juil julio juli julho luglio lug",
    8: "august aug août aout agosto ago augustus",
    9: "september sep sept septembre septiembre setiembre set setembro settembre",
    10: "october oct octobre octubre oktober okt outubro out ottobre ott",
    11: "november nov novembre noviembre novembro",
    12: "december dec décembre decembre déc diciembre dic dezember dez dezembro dicembre",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
# A year as text gives one (not a part of a longer number).
YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")

_TIME = r"(?:[^\d]{1,6}?(\d{1,2})[:時시h](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?"
_NUMERIC = re.compile(
    r"(?<!\d)(\d{4})\s*[-./년年]\s*(\d{1,2})\s*[-./월月]\s*(\d{1,2})(?!\d)(?:\s*[일日])?" + _TIME, re.I
)
_ERA = re.compile(r"(" + "|".join(ERAS) + r")\s*(元|\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日" + _TIME)
_WORD = r"([^\W\d_]{3,12})\.?"
# "4 de octubre de 2022", and as USAGov's template prints it, "de2022"
_DAY_FIRST = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?" + _WORD + r",?\s+(?:de\s*)?(\d{4})(?!\d)" + _TIME, re.I
)
_SLASHED = re.compile(r"(?<!\d)(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})(?!\d)" + _TIME)
# Countries that write numeric dates month first (2/6/2026 is 6 February);
# the rest of the world writes them day first, or year first.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW"})
_MONTH_FIRST = re.compile(_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)" + _TIME, re.I)


def find_date(text: str | None, tzinfo: datetime_tzinfo | None, month_first: bool | None = None) -> str | None:
    """ISO 8601 of the first valid date in ``text``: with the site's UTC offset
    when a time is shown, a bare date when not; None when there is none.
    ``month_first`` reads 2/6/2026 as the site's country writes it (None: not at all)."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)  # full-width digits, 令和 stays
    found = []
    if match := _NUMERIC.search(text):
        found.append(
            (match.start(), _moment(match.group(1), match.group(2), match.group(3), match.groups()[3:], tzinfo))
        )
    if month_first is not None and (match := _SLASHED.search(text)):
        first, second = match.group(1), match.group(2)
        month, day = (first, second) if month_first else (second, first)
        found.append((match.start(), _moment(match.group(3), month, day, match.groups()[3:], tzinfo)))
    if match := _ERA.search(text):
        year = ERAS[match.group(1)] + (1 if match.group(2) == "元" else int(match.group(2)))
        found.append((match.start(), _moment(year, match.group(3), match.group(4), match.groups()[4:], tzinfo)))
    # in words: the first match whose word is a month ("30 years 2025" is not)
    for match in _DAY_FIRST.finditer(text):
        if (month := MONTHS.get(match.group(2).lower())) is not None:
            found.append((match.start(), _moment(match.group(3), month, match.group(1), match.groups()[3:], tzinfo)))
            break
    for match in _MONTH_FIRST.finditer(text):
        if (month := MONTHS.get(match.group(1).lower())) is not None:
            found.append((match.start(), _moment(match.group(3), month, match.group(2), match.groups()[3:], tzinfo)))
            break
    valid = sorted((start, value) for start, value in found if value)
    return valid[0][1] if valid else None


def from_datetime_attribute(value: str, tzinfo: datetime_tzinfo | None) -> str | None:
    """A <time datetime="…"> value: an instant in its own offset is shown
    in the site's; a bare date or local time is read as the site's."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return find_date(value, tzinfo)
    if len(value.strip()) <= 10:
        return moment.date().isoformat()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tzinfo).isoformat()
    return moment.astimezone(tzinfo).isoformat() if tzinfo else moment.isoformat()


def _moment(
    year: str | int, month: str | int, day: str | int, clock: tuple[str | None, ...], tzinfo: datetime_tzinfo | None
) -> str | None:
    hour, minute, second, half = (clock + (None,) * 4)[:4]
    try:
        if hour is None:
            return date(int(year), int(month), int(day)).isoformat()
        hours = int(hour)
        if half and half.lower().startswith("p") and hours < 12:
            hours += 12
        elif half and half.lower().startswith("a") and hours == 12:
            hours = 0
        return datetime(
            int(year), int(month), int(day), hours, int(minute or 0), int(second or 0), tzinfo=tzinfo
        ).isoformat()
    except ValueError:  # 2017-02-30, 25:00 and the like
        return None


# The words boards put before a page's dates.  A page that shows two days
# says which is which: "Published: 28 May 2010 … Updated: 4 August 2014".
_UPDATED_LABEL = re.compile(
    r"(?i)\b(?:last[\s-]+)?(?:updated|modified|revised|amended)\b|更新|수정일|변경일|"
    r"aktualisiert|geändert|mis\s+à\s+jour|modifié|actualizad[oa]|atualizad[oa]|aggiornat[oa]|обновлен|изменен|"
    r"uppdaterad|ändrad|opdateret|oppdatert|bijgewerkt|zaktualizowano"
)
_PUBLISHED_LABEL = re.compile(
    r"(?i)\b(?:first\s+)?(?:published|posted|released|issued|publication\s+date)\b|公開|発表|掲載|发布|發布|"
    r"게시일?|등록일|작성일|발행일?|veröffentlicht|publié|publicado|pubblicato|опубликовано|"
    r"publicerad|publiceret|publisert|gepubliceerd|opublikowano"
)


def labelled_parts(text: str) -> list[tuple[str | None, str]]:
    """The line cut at each label: "Publicado em 16/07/2021 Atualizado em
    02/08/2021" is [("published", "Publicado em 16/07/2021 "), ("updated", …)]."""
    starts = sorted(
        [(m.start(), "updated") for m in _UPDATED_LABEL.finditer(text)]
        + [(m.start(), "published") for m in _PUBLISHED_LABEL.finditer(text)]
    )
    if not starts:
        return [(None, text)]
    parts: list[tuple[str | None, str]] = [(None, text[: starts[0][0]])] if starts[0][0] else []
    for (start, label), (end, _) in zip(starts, [*starts[1:], (len(text), None)]):
        parts.append((label, text[start:end]))
    return parts


def date_label(text: str) -> str | None:
    """ "updated" or "published" when ``text`` names which day it gives, else None."""
    if _UPDATED_LABEL.search(text):
        return "updated"
    if _PUBLISHED_LABEL.search(text):
        return "published"
    return None
