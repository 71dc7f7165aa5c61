"""Telephone numbers in a release's lines: the contacts it closes with, or
an office's number set under its heading."""

from __future__ import annotations

import re

# Digits in groups ("(651) 296-3353", "01932 440015", "+44 20 7946 0000"):
# a phone number has 8 to 15 of them.
DIGIT_GROUPS = re.compile(r"(?<![\w/.,-])\+?\(?\d[\d ().\-－‐]{5,20}\d(?![\w/-])")
# A number named as one ("電話 841－4131", "Tel. 322-5216"): a local number,
# without its area code, has only 7 digits.
_PHONE_LABEL = re.compile(r"(?i)(?:電話|TEL|FAX|전화|电话|電話番号|phone|fax|tél|tel)\.?\s*[:：]?\s*\(?\d")


def phone(text: str) -> bool:
    """Does the text give a phone number: 8 to 15 digits in three groups or
    more, or in two long ones ("01932 440015"), not a span of years, not a
    table's total and its count ("Total 20295 191")?"""
    if _PHONE_LABEL.search(text) and sum(map(len, re.findall(r"\d+", text))) >= 6:
        return True
    for found in DIGIT_GROUPS.findall(text):
        groups = re.findall(r"\d+", found)
        if 8 <= sum(map(len, groups)) <= 15 and (
            len(groups) >= 3 or (max(map(len, groups)) >= 5 and min(map(len, groups)) >= 4)
        ):
            return True
    return False
