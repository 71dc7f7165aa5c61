"""Property tests: normalisation, hashing and diffs hold for any text."""

from hypothesis import example, given
from hypothesis import strategies as st

from storage.contract.content import Attachment, Content, content_hash, normalise, normalise_body, normalise_text
from storage.contract.diff import apply_diff, content_lines, unified_diff

# Any Unicode, surrogates and controls included: pages are broken in every way.
# ASCII-only text as often as the rest: normalise_text has a path of its own for it.
text = st.one_of(st.text(st.characters(), max_size=80), st.text(st.characters(max_codepoint=127), max_size=80))
paragraphs = st.lists(text, max_size=6)
attachments = st.lists(st.builds(Attachment, text, st.just("https://x.example/a")), max_size=3)
contents = st.builds(
    lambda t, p, b, a: normalise(Content(t, p, "\n\n".join(b), tuple(a))),
    text,
    st.one_of(st.none(), st.just("2017-08-06"), st.just("2017-08-06T18:00:00+09:00")),
    paragraphs,
    attachments,
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


@given(contents, contents)
def test_applying_a_stored_diff_rebuilds_the_new_version(old, new):
    diff = unified_diff(old, new, "version 1", "version 2")
    assert apply_diff(old, diff) == content_lines(new)


# Fragments pages are made of, shuffled and truncated at random.
html_fragments = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<body>",
            "</div>",
            "<div class='board_detail'>",
            "<h2>",
            "</h2>",
            "<div class='bo_con'>",
            "<p>",
            "</p>",
            "<br>",
            "<table><tr><td>",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "&nbsp;",
            "&#0;",
            "<div class='bo_head'>Date : 2017-02-30 25:61</div>",
            "Hit : 99999999999999999999",
            "\x00",
            "\ud800",
            "<a href='javascript:alert(1)'>",
            "<a href='down.do?seq=1'>file</a>",
            "<meta charset='x-unknown'>",
        ]
    )
    | st.text(max_size=20),
    max_size=40,
)


@given(html_fragments)
def test_extraction_of_any_page_returns_a_record_or_a_clear_error(fragments):
    from crawler.extract.context import PageContext
    from crawler.extract.generic import extract_generic, learn_template
    from crawler.extract.pages import ExtractionError, extract_release
    from crawler.sites.profile import builtin_profiles, load_profile

    page = "".join(fragments)
    generic = load_profile("x.toml", 'id="x"\nname="x"\nbase_url="https://x.example"\nstart="/"\n')
    for extract in (
        lambda: extract_release(page, builtin_profiles()["mofa_en"], "https://www.mofa.go.kr/x"),
        lambda: extract_generic(
            page, PageContext(generic, template=learn_template([page, page + "<p>a</p>", page + "<p>b</p>"]))
        ),
    ):
        try:
            record = extract().content
        except ExtractionError:
            continue
        assert record.title and record.body
        assert normalise(record) == record


# Pages built from a few tags and classes, containers nested in each other,
# class attributes spaced every way HTML allows.
_tags = st.sampled_from(["div", "p", "h2", "span", "a", "section"])
_classes = st.lists(
    st.sampled_from(["box", "head", "body", "x-y", "", "boxes", "headline", "box\tbody", " box\n", "box\u00a0head"]),
    max_size=2,
)


def _html(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.just("text")
    children = leaf if depth == 0 else st.lists(_html(depth - 1), max_size=3).map("".join)
    return st.builds(
        lambda tag, classes, inner: f'<{tag} class="{" ".join(classes)}" href="f{len(inner)}.pdf">{inner}</{tag}>',
        _tags,
        _classes,
        children,
    )


_selectors = st.lists(
    st.sampled_from(
        [
            ".box",
            ".box h2",
            "div.box p",
            ".head a[href*='.pdf']",
            ".body",
            "h2",
            ".box > p",
            ".x-y span",
            "section.body div p",
            ".head, .body",
            ".box .head",
            "p.box",
        ]
    ),
    min_size=1,
    max_size=5,
)


@given(_html(), _selectors)
def test_one_walk_selects_what_each_selector_selects_alone(html, selectors):
    from crawler.extract.pages import select, select_all
    from crawler.extract.parse import page_selector

    page = page_selector(f"<html><body>{html}</body></html>").root
    together = select_all(page, selectors)
    assert {css: [id(e) for e in together[css]] for css in selectors} == {
        css: [id(e) for e in select(page, css)] for css in selectors
    }


# Pages as they come: markup, text in any script, and the characters broken
# pages carry (controls, lone surrogates, U+FFFE, a BOM, an XML declaration).
_page_parts = st.sampled_from(
    [
        "<html>",
        "</html>",
        "<body>",
        "<p class='x'>",
        "</p>",
        "<div>",
        "<br>",
        "<!-- c -->",
        "<?xml version='1.0'?>",
        "\ufeff",
        "\x00",
        "\x01",
        "\x0b",
        "\x1f",
        "\ud800",
        "\ufffe",
        "\uffff",
        "\u00a0",
        "\u3000",
        " ",
        "\n",
        "text",
        "외교부",
        "令和",
        "&amp;",
        "<script>x</script>",
        '{"a": 1}',
        "\x1c",
        "\x85",
        "\t",
    ]
)
_pages = st.lists(st.one_of(_page_parts, st.text(max_size=5)), max_size=12).map("".join)


@given(_pages)
@example("<p>a\ufffeb\uffffc</p>")
@example("<p>a\x01b\x0bc</p>")
@example("<p>a\ud800b</p>")
@example(" \x0b<p>edges</p>\u3000")
@example("<?xml version='1.0'?><p>x</p>")
@example("\x85<p>x</p>\n")
@example("<p>x</p>\x1c")
@example("<html></html><body>")
@example("\ufeff<html></html><body>")
def test_the_quick_parse_builds_the_tree_parsel_builds(html):
    from lxml import etree

    from crawler.extract.parse import _page, page_root, page_selector

    slow = page_selector(html).root
    if not isinstance(slow, etree._Element):  # parsel read it as JSON: no page at all
        return
    slow = _page(slow)  # of two documents side by side, both parses keep the one with the page
    quick = page_root(html)
    assert type(quick) is type(slow)
    assert etree.tostring(quick, method="html") == etree.tostring(slow, method="html")
    try:
        received = html.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: no page arrives like that
        return
    as_received = page_root(html, received)  # the crawl hands lxml the body it got
    assert etree.tostring(as_received, method="html") == etree.tostring(slow, method="html")
