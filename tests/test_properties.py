"""Property tests: normalisation, hashing and diffs hold for any text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.content import Attachment, Content, content_hash, normalise, normalise_body, normalise_text
from storage.diff import apply_diff, content_lines, unified_diff

# Any Unicode, surrogates and controls included: pages are broken in every way.
text = st.text(st.characters(), max_size=80)
paragraphs = st.lists(text, max_size=6)
attachments = st.lists(st.builds(Attachment, text, st.just("https://x.example/a")), max_size=3)
contents = st.builds(
    lambda t, p, b, a: normalise(Content(t, p, "\n\n".join(b), tuple(a))),
    text, st.one_of(st.none(), st.just("2017-08-06"), st.just("2017-08-06T18:00:00+09:00")),
    paragraphs, attachments,
)


@given(text)
def test_normalising_twice_changes_nothing(value):
    once = normalise_text(value)
    assert normalise_text(once) == once
    assert normalise_body(normalise_body(value)) == normalise_body(value)


@given(text)
def test_normalised_text_has_no_controls_surrogates_or_stray_spaces(value):
    once = normalise_text(value)
    assert once == once.strip() and "  " not in once and "\n" not in once
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF for ch in once)


@given(contents)
def test_equal_content_hashes_equal_and_normalising_keeps_the_hash(content):
    copy = Content(content.title, content.published, content.body, tuple(content.attachments))
    assert content_hash(copy) == content_hash(content)
    assert content_hash(normalise(content)) == content_hash(content)


@given(contents, contents)
def test_different_content_hashes_differ(a, b):
    if a != b:
        assert content_hash(a) != content_hash(b)


@settings(max_examples=300)
@given(contents, contents)
def test_applying_a_stored_diff_rebuilds_the_new_version(old, new):
    diff = unified_diff(old, new, "version 1", "version 2")
    assert apply_diff(old, diff) == content_lines(new)
