"""The end of a release: its end mark and what follows it, the issuing
officers' initials, and the press contacts and office address a board
closes its releases with, in any language a board writes."""

from __future__ import annotations

import re

from crawler.extract.dates import find_date
from crawler.extract.files import FILE_LINE
from crawler.extract.furniture import SENTENCE_ENDS
from crawler.extract.phones import phone
from crawler.extract.pictures import CAPTION

# Press releases end with a mark ("###", "####", "-30-", "ENDS"); what follows
# it is the office's boilerplate, and so is a closing block of press contacts.
_END_MARK = re.compile(r"^(?:#(?:\s*#){2,4}|-\s*30\s*-|[-(]?\s*ends?\s*[-)]?(?:\s*/\s*\w+,?\s.{0,30})?)$", re.I)
_SEPARATOR = re.compile(r"^[\s*＊=_~·•◆◇■□-]{3,}$")  # "* * *", a row of asterisks: not a paragraph
_CONTACTS = re.compile(
    r"^(?:(?:media|press|news)\s+(?:contacts?|inquiries|enquiries)\b.{0,40}"
    r"|contacts?(?:\s+(?:the\s+|our\s+)?(?:press|media|news)\s+(?:office|team|desk))?\s*:?"
    r"|(?:press|media|news)\s+(?:office|team|desk)\s*:?"
    # 問い合わせ (先), 联系方式, 문의처, Pressekontakt, contact presse
    r"|[【［\[]?(?:お?問い?合わ?せ先?|联系(?:方式|人|电话)|聯絡(?:方式|人|電話)|문의처?|"
    r"presse?kontakt|kontakt|contacts?\s+presse|contacto\s+de\s+prensa|contato)[】］\]]?\s*[:：]?)$",
    re.I,
)
# A label that says whom to ask, over names and numbers only: "För ytterligare
# information:", "Vid frågor är du välkommen att kontakta:".
_ASKS_WHOM = re.compile(
    r"(?i)^(?:for\s+(?:further|more|additional)\s+information|för\s+(?:mer|ytterligare)\s+information"
    r"|für\s+weitere\s+(?:informationen|auskünfte)|pour\s+plus\s+d'informations|para\s+más\s+información"
    r"|voor\s+meer\s+informatie|.{0,40}\b(?:contact|kontakta|kontaktieren|contacter|contactar|contacte))\s*[:：]$"
)
# Initials or names joined by slashes: "PR/ASM/VMJ", "Nihi Sharma/ Laxya Lohan".
_SIGNED = re.compile(r"^[^\W\d_][\w .'-]{0,20}(?:\s*/\s*[^\W\d_][\w .'-]{0,20}){1,4}$")
CONTACT_TAIL = 4  # a press-contact heading this close to the end starts the contacts
CONTACT_BLOCK = 20  # or further up, over nothing but contacts: three officers, each a few lines
# "For media inquiries, please email … or call 202-452-2955.": a sentence,
# but one that only says whom to call, by address or number.
# "For further information contact Sharon Franklin — 202-296-4129, or info@pclob.gov." likewise,
# and "För mer information kontakta riksdagsinformation, telefon: 020-349 000".
_ASKS_PRESS = re.compile(
    r"(?i)\b(?:media|press|news)\s+(?:contacts?|inquiries|enquiries|queries)\b"
    r"|^(?:for\s+(?:further|more|additional)\s+information,?\s+(?:please\s+)?contact"
    r"|för\s+(?:mer|ytterligare)\s+information,?\s+kontakta"
    r"|für\s+weitere\s+(?:informationen|auskünfte),?\s+(?:wenden\s+sie\s+sich\s+an|kontaktieren\s+sie)"
    r"|pour\s+(?:plus\s+d'informations|tout\s+renseignement),?\s+(?:veuillez\s+)?contacter"
    r"|para\s+más\s+información,?\s+(?:contacte|comuníquese)"
    r"|voor\s+meer\s+informatie,?\s+(?:kunt\s+u\s+contact\s+opnemen|neem\s+contact\s+op)"
    # "Verantwortlich für vorliegende Medieninformation ist … als Pressesprecherin …, Tel. …"
    r"|verantwortlich\s+für\s+(?:diese|die|vorliegende)\s+(?:medien|presse)information)\b"
    # a sentence naming the press officer, with the number or address to reach them
    r"|\b(?:presse?sprecher(?:in)?|press\s+(?:secretary|officer)|spokes(?:person|man|woman)|porte-parole"
    r"|portavoz|pressekreterare|pressetalsperson|woordvoerder)\b"
)
CONTACT_SENTENCE = 300  # a sentence naming the officer, the office, a number and an address
# "Mer information" over a link or two closing the release: where to read on, not the release's text.
_READ_ON = re.compile(
    r"(?i)^(?:(?:for|för|für|pour|para|voor)\s+)?"
    r"(?:(?:more|further|additional)\s+information|mer\s+information|läs\s+mer|weitere\s+informationen"
    r"|mehr\s+(?:informationen|zum\s+thema)|plus\s+d'informations|pour\s+en\s+savoir\s+plus|más\s+información"
    r"|meer\s+informatie|related(?:\s+links|\s+content)?|see\s+also)\s*[:：]?$"
)
READ_ON_LINES = 3  # the links such a label closes the release with
# "Läs mer om Europa Direkt här.", "Read more about the programme here", "Link
# to Official White House Statement": a closing line that only points
# elsewhere.  "Comparison chart available here." stays.
_READ_MORE_HERE = re.compile(
    r"(?i)^(?:(?:read|learn|find\s+out)\s+more|läs\s+mer|læs\s+mere|les\s+mer|lees\s+meer|mehr\s+(?:dazu|erfahren)"
    r"|en\s+savoir\s+plus|más\s+información)\b.{0,60}\b(?:here|här|her|hier|ici|aquí)\W*$"
    r"|^link\s+to\s.{0,60}[^\W\d_]$"
)
REACHED_AT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\[email\s*protected\]", re.I)
ADDRESS_LINES = 8  # an office's closing address block is a few short lines
# A call's numbers to dial in with ("Meeting ID: 940 9787 9083", "Passcode: 4xT9"): a meeting's, not an office's
_DIAL_IN = re.compile(r"(?i)\b(?:meeting|webinar|conference|access)\s+(?:id|code|number)\b|\bpass\s?code\b")


def without_end_matter(body: list[str]) -> list[str]:
    """The release's paragraphs, without its end mark ("###", "-30-",
    "Ends/Tuesday, December 31, 2019") and what follows, without a closing
    block of press contacts, and without separators."""
    for number, text in enumerate(body):
        if number and _END_MARK.match(text):
            body = body[:number]
            break
    body = _without_sign_off(body)
    body = _without_contact_boxes([text for text in body if not _SEPARATOR.match(text)])
    end = _contacts_start(body)
    while end < len(body):  # contacts often come in two blocks: the office's, then the night line
        body = body[:end]
        end = _contacts_start(body)
    return _without_read_on(_without_channels(_without_mailbox(_without_address_block(body))))


def _without_read_on(body: list[str]) -> list[str]:
    """The body without a closing "More information" label and the few
    short lines (links to read on) under it, or a closing "Read more here"."""
    if len(body) > 1 and _READ_MORE_HERE.match(body[-1]):
        return body[:-1]
    for number in range(max(1, len(body) - READ_ON_LINES - 1), len(body)):
        after = body[number + 1 :]
        if _READ_ON.match(body[number]) and all(
            len(line) <= FILE_LINE and not line.endswith(SENTENCE_ENDS) for line in after
        ):
            return body[:number]
    return body


# "Facebook: http://www.facebook.com/worldbank", "Website: www.worldbank.org/":
# a name and an address, the office's channels, not the release's text.
_CHANNEL = re.compile(r"^[^\W\d_][\w .'-]{0,24}[:：]\s*(?:https?://|www\.)\S+$", re.I)


def _without_channels(body: list[str]) -> list[str]:
    """The body without a closing run of two lines or more, each a name and
    the office's web address on it."""
    start = len(body)
    while start > 1 and _CHANNEL.match(body[start - 1]):
        start -= 1
    return body[:start] if len(body) - start >= 2 else body


def _without_sign_off(body: list[str]) -> list[str]:
    """Without the initials of the officers who issued the release, a line
    or two under its closing rule ("*****", then "PR/ASM/VMJ")."""
    rules = [number for number, text in enumerate(body) if number and _SEPARATOR.match(text)]
    after = body[rules[-1] + 1 :] if rules else []
    if 1 <= len(after) <= 2 and all(_SIGNED.match(text) for text in after):
        return body[: rules[-1]]
    return body


def _without_contact_boxes(body: list[str]) -> list[str]:
    """Without a press-contact heading and the short lines under it that
    give a number or an address, wherever they sit ("Media enquiries:" then
    the media unit's line, between a release's text and its tables)."""
    kept, number = [], 0
    while number < len(body):
        following = number + 1
        if _CONTACTS.match(body[number]):
            while (
                following < len(body)
                and len(body[following]) <= CAPTION
                and (REACHED_AT.search(body[following]) or phone(body[following]))
            ):
                following += 1
        if following > number + 1:
            number = following
            continue
        kept.append(body[number])
        number += 1
    return kept


def _contacts_start(body: list[str]) -> int:
    """Where a closing block of press contacts starts (``len(body)``: none)."""
    for number in range(max(1, len(body) - CONTACT_BLOCK), len(body) - 2 * CONTACT_TAIL):
        if _CONTACTS.match(body[number]) and _only_contacts(body[number + 1 :]):
            return number
    for number in range(max(1, len(body) - 2 * CONTACT_TAIL), len(body)):
        if (
            _whom_to_call(body[number])
            or (_CONTACTS.match(body[number]) and _heads_contacts(body, number))
            or (_ASKS_WHOM.match(body[number]) and _only_contacts(body[number + 1 :]))
        ):
            return number
    return len(body)


def _only_contacts(lines: list[str]) -> bool:
    """Are the lines a block of contacts and nothing else: short lines, no
    sentence, a number or an address among them (several officers, each a
    name, an office and a number, under "Contacts")?"""
    return any(REACHED_AT.search(line) or phone(line) for line in lines) and all(
        len(line) <= FILE_LINE and not line.endswith(SENTENCE_ENDS) for line in lines
    )


def _heads_contacts(body: list[str], number: int) -> bool:
    """A contact heading starts the contacts near the end, or before an
    address or a number in lines that are mostly short."""
    after = body[number + 1 :]
    return number >= len(body) - CONTACT_TAIL or (
        any(REACHED_AT.search(line) or phone(line) for line in after)
        and 2 * sum(len(line) <= FILE_LINE for line in after) > len(after)
    )


def _whom_to_call(text: str) -> bool:
    return (
        len(text) <= CONTACT_SENTENCE
        and bool(_ASKS_PRESS.search(text))
        and bool(REACHED_AT.search(text) or phone(text))
    )


def _without_mailbox(body: list[str]) -> list[str]:
    """The body without an e-mail address closing it on a line of its own,
    and the office's name over it ("Monetary Policy Sector",
    "monetary.policy@cbe.org.eg"): whom to write to, not the release."""
    if len(body) < 2 or not REACHED_AT.fullmatch(body[-1]):
        return body
    office = body[-2]
    if len(body) > 2 and len(office) <= FILE_LINE and not office.endswith(SENTENCE_ENDS):
        return body[:-2]
    return body[:-1]


def _without_address_block(body: list[str]) -> list[str]:
    """The body without the office's closing address block: a run of short
    lines, not sentences, most of them with digits, one a phone number
    ("445 Minnesota Street, Suite 600", "St. Paul, MN 55101", "(651) 296-3353"),
    and no day."""
    start = len(body)
    while (
        start > 1
        and len(body) - start < ADDRESS_LINES
        and len(body[start - 1]) <= FILE_LINE
        and not body[start - 1].endswith(SENTENCE_ENDS)
    ):
        start -= 1
    run = body[start:]
    # where to reach an office, never when or how to join: a run that gives a
    # day or a call's ID is a meeting's details (its ID, passcode, day and
    # place, the numbers to dial in with), the notice itself
    if not any(phone(line) for line in run) or any(find_date(line, None) or _DIAL_IN.search(line) for line in run):
        return body
    digits = sum(any(c.isdigit() for c in line) for line in run)
    if len(run) >= 3 and 2 * digits >= len(run):
        return body[:start]
    return body
