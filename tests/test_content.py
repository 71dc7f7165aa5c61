from storage.contract.content import (
    Attachment,
    Content,
    changed_fields,
    content_hash,
    keep_precision,
    normalise,
    normalise_body,
    normalise_text,
)


def test_normalise_text_collapses_whitespace_and_nbsp():
    assert normalise_text("  Minister\u00a0Kang \t\n met  ") == "Minister Kang met"


def test_normalise_text_is_nfc():
    decomposed = "Cafe\u0301"
    assert normalise_text(decomposed) == "Caf\u00e9"


def test_normalise_text_drops_controls_zero_width_and_lone_surrogates():
    assert normalise_text("a\x00b\u200bc\ud800d\x1b[31m") == "abcd[31m"
    assert normalise_text("a\x00b\x08c\x1b[31m\x7fd\x1ce\x0b") == "abc[31md e"  # ASCII only
    # Soft hyphens (tests/files/corpus/texas_ag: "Attor\u00adney Gen\u00ader\u00adal"): a
    # page that adds or drops them shows the same words.
    assert normalise_text("Attor\u00adney Gen\u00ader\u00adal") == "Attorney General"


def test_bidirectional_overrides_are_dropped_and_joiners_kept():
    # "Trojan Source": an override shows a title or a diff in an order other
    # than the one stored and compared; a page that adds one changes nothing.
    overrides = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert normalise_text(f"Minister {overrides}meets\u202e the delegation") == "Minister meets the delegation"
    assert normalise_body("a\u2067b\n\n\u202dc") == "ab\n\nc"
    content = Content(title="T\u202eitle", published=None, body="B\u2066ody")
    assert content_hash(normalise(content)) == content_hash(Content(title="Title", published=None, body="Body"))
    # zero-width (non-)joiners spell words and emoji: they stay
    persian, emoji = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\U0001f468\u200d\U0001f3eb"
    assert normalise_text(f"{persian} {emoji}") == f"{persian} {emoji}"


def test_normalise_body_one_blank_line_between_paragraphs():
    body = "\n\n  First  paragraph \n\n\n\n\u00a0\n\nSecond\u00a0one\n \n"
    assert normalise_body(body) == "First paragraph\n\nSecond one"


def test_markup_noise_gives_equal_hashes():
    a = Content("Title", "2017-08-06", "One\n\nTwo")
    b = Content(" Title\u00a0", "2017-08-06", "\n One \n\n\n  Two  ")
    assert content_hash(normalise(a)) == content_hash(normalise(b))


def test_any_real_change_gives_another_hash():
    base = Content("Title", "2017-08-06", "One\n\nTwo", (Attachment("a.pdf", "http://x/a"),))
    variants = [
        Content("Title!", "2017-08-06", "One\n\nTwo", base.attachments),
        Content("Title", "2017-08-07", "One\n\nTwo", base.attachments),
        Content("Title", "2017-08-06", "One\n\nTwo words", base.attachments),
        Content("Title", "2017-08-06", "One\n\nTwo"),
    ]
    hashes = {content_hash(c) for c in [base, *variants]}
    assert len(hashes) == 5


def test_changed_fields_names_each_changed_field():
    old = Content("T", "2017-08-06", "B")
    new = Content("T2", "2017-08-06", "B2", (Attachment("a", "u"),))
    assert changed_fields(old, new) == ["title", "body", "attachments"]


def test_less_precise_date_on_the_same_day_keeps_the_earlier_value():
    previous = Content("T", "2017-08-06T18:00:00+09:00", "B")
    assert keep_precision(previous, Content("T", "2017-08-06", "B")) == previous


def test_a_date_on_another_day_is_a_change():
    previous = Content("T", "2017-08-06T18:00:00+09:00", "B")
    new = Content("T", "2017-08-07", "B")
    assert keep_precision(previous, new) == new


def test_a_date_that_can_no_longer_be_read_is_not_a_change():
    previous = Content("T", "2017-08-06T18:00:00+09:00", "B")
    assert keep_precision(previous, Content("T", None, "B")) == previous


def test_whitespace_is_exactly_what_a_regex_would_collapse():
    """normalise_text collapses with str.split(): it must match \\s on every
    code point, or archives made before the change would get spurious versions."""
    import re

    whitespace = re.compile(r"\s")
    assert all((whitespace.match(chr(cp)) is not None) == chr(cp).isspace() for cp in range(0x110000))
