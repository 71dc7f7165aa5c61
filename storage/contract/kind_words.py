"""What kind a run of changed words is, inside a changed sentence: the
word-level part of storage.contract.kinds' rule (typography, spelling,
number, negation, name, else wording), and the negators counted in a
sentence of Chinese, Japanese or Korean."""

from __future__ import annotations

_NEGATORS = frozenset(
    """
not no never none nor cannot can't won't don't doesn't didn't isn't aren't wasn't weren't without neither
will may might could would shall should must can
ne pas jamais aucun aucune non sans peut doit pourra devra
não nunca nem sem pode poderá deve deverá
nicht kein keine nie niemals ohne kann muss soll wird
inte ej aldrig ingen inget inga utan kan ska skall bör måste
않 안 못 없 아니 않는다 않았다 없다 아니다 못한다 수
不 没 沒 未 无 無 别 勿 莫 可能 将 將 应 應 须 須
ない ません ず ぬ 無い 可能 べき
""".split()
)
_MONTHS = frozenset(
    """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
januar februar märz juni juli oktober dezember
""".split()
) - {"may", "mars"}  # "may" is a modal first; "mars" a planet as often as a month
# Counted in a changed sentence of Chinese, Japanese or Korean: a count that
# differs is a negation put in or taken out, or a modal changed.  Not 非, which
# stands inside words far more often (非洲 Africa, 非常 very) than it negates.
_CJK_NEGATORS = (
    "不",
    "没",
    "沒",
    "未",
    "無",
    "无",
    "않",
    "못",
    "없",
    "아니",
    "ない",
    "なかっ",
    "ません",
    "ず",
    "可能",
    "将",
    "將",
    "应",
    "應",
    "须",
    "須",
    "べき",
)


def run_kinds(gone: list[str], came: list[str], first: bool) -> set[str]:
    """The kinds of one run of changed tokens (``gone`` in the old sentence,
    ``came`` in the new); ``first``: the run opens its sentence."""
    words_gone, words_came = [t for t in gone if _is_word(t)], [t for t in came if _is_word(t)]
    if [w.casefold() for w in words_gone] == [w.casefold() for w in words_came]:
        return {"typography"}  # punctuation, quotation marks, dashes or case
    if len(words_gone) == len(words_came) == 1 and _slip(words_gone[0], words_came[0]):
        return {"spelling"}  # "sould" → "should", "oktoer" → "oktober": a typo fixed, not a modal or a date changed
    found = set()
    both = words_gone + words_came
    # "May" with its capital inside a sentence is the month ("in May 2023"), not the modal
    months = [
        w for side in (words_gone, words_came) for n, w in enumerate(side) if w == "May" and not (first and n == 0)
    ]
    if months or any(any(c.isdigit() for c in w) or w.casefold() in _MONTHS for w in both):
        found.add("number")
    if any(w.casefold() in _NEGATORS and w not in months for w in both):
        found.add("negation")
    if any(_is_name(w, first and n == 0) for side in (words_gone, words_came) for n, w in enumerate(side)):
        found.add("name")
    if not found and len(words_gone) == 1 and len(words_came) == 1 and _spelling(words_gone[0], words_came[0]):
        found.add("spelling")
    return found or {"wording"}


def _is_word(token: str) -> bool:
    return token[:1].isalnum()  # a token (storage.contract.kinds) is a word from its first letter, or one mark


def _is_name(word: str, opens_sentence: bool) -> bool:
    folded = word.casefold()
    if not word[:1].isupper() or folded in _NEGATORS or folded in _MONTHS:
        return False
    return len(word) > 1 and word.isupper() or not opens_sentence  # an acronym (ASEAN) wherever it stands


def cjk_negation(old: str, new: str) -> bool:
    """A negator more or fewer in a changed sentence (Korean words carry
    theirs inside: 하지 않는다; a Japanese verb's changes by a letter or two:
    します → しません, which the changed run alone does not show)."""
    return any(old.count(negator) != new.count(negator) for negator in _CJK_NEGATORS)


def _slip(a: str, b: str) -> bool:
    """One letter added, dropped, or swapped with its neighbour inside a
    word of five letters or more, neither capitalised: a typo, even in a
    modal or a month's name (the word's ends stay: "never" → "ever" is a
    negation taken out)."""
    short, long = sorted((a, b), key=len)
    if len(long) < 5 or not (a[:1].islower() and b[:1].islower()) or a[0] != b[0] or a[-1] != b[-1]:
        return False
    if len(long) - len(short) == 1:
        return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long) - 1))
    return len(a) == len(b) and any(a[:i] + a[i + 1] + a[i] + a[i + 2 :] == b for i in range(1, len(a) - 2))


def _spelling(a: str, b: str) -> bool:
    if a[:1].isupper() or b[:1].isupper() or min(len(a), len(b)) < 3 or not (a.isalpha() and b.isalpha()):
        return False
    return _distance(a.casefold(), b.casefold()) <= 2


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
