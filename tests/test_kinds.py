"""Every change typed and ranked: the classifier, from tables (storage.contract.kinds)."""

from __future__ import annotations

import pytest

from storage import Attachment, Content
from storage.contract.kinds import COSMETIC, KINDS, classify

BODY = (
    "1. Foreign Minister Kang Kyung-wha met the delegation of Malawi on 6 August in Seoul.\n\n"
    "2. The two sides agreed that they will continue to cooperate. They discussed trade.\n\n"
    "3. The Minister said: \u201cWe welcome the agreement on maritime security.\u201d\n\n"
    "4. A joint statement was issued after the meeting."
)
PDF = Attachment("statement.pdf", "https://example.org/files/1.pdf")
OLD = Content("Minister meets the delegation of Malawi", "2017-08-06", BODY, (PDF,))


def edited(body: str = BODY, **fields) -> Content:
    return Content(
        fields.get("title", OLD.title),
        fields.get("published", OLD.published),
        body,
        fields.get("attachments", OLD.attachments),
    )


@pytest.mark.parametrize(
    "new, kinds",
    [
        (edited(BODY.replace("Malawi on", "Marawi on")), ("name",)),
        (edited(BODY.replace("6 August", "7 August")), ("number",)),
        (edited(BODY.replace("6 August", "6 September")), ("number",)),
        (edited(BODY.replace("will continue", "may continue")), ("negation",)),
        (edited(BODY.replace("agreed that they", "agreed that they do not")), ("negation",)),
        (edited(BODY.replace("maritime security", "maritime safety")), ("quote", "wording")),
        (edited(BODY.replace(" They discussed trade.", "")), ("sentence_removed",)),
        (
            edited(BODY.replace("They discussed trade.", "They discussed trade. Both sides praised the talks.")),
            ("sentence_added",),
        ),
        (edited(BODY.replace("\n\n4. A joint statement was issued after the meeting.", "")), ("paragraph_removed",)),
        (edited(BODY + "\n\n5. The next meeting will be held in Lilongwe next year."), ("paragraph_added",)),
        (edited("\n\n".join([*BODY.split("\n\n")[1:], BODY.split("\n\n")[0]])), ("moved",)),
        (edited(BODY.replace("joint statement", "joint stetement")), ("spelling",)),
        (edited(BODY.replace("meeting.", "meeting .").replace("\u201c", '"').replace("\u201d", '"')), ("typography",)),
        (edited(BODY.replace("A joint statement", "A JOINT statement")), ("typography",)),
        (edited(BODY.replace("was issued after", "was published following")), ("wording",)),
        (edited(title="Minister meets the delegation of Marawi"), ("title",)),
        (edited(published="2017-08-07"), ("date",)),
        (edited(attachments=(PDF, Attachment("annex.pdf", "https://example.org/files/2.pdf"))), ("attachment_added",)),
        (edited(attachments=()), ("attachment_removed",)),
        (edited(attachments=(Attachment("joint statement.pdf", PDF.url),)), ("attachment_renamed",)),
        (edited(attachments=(Attachment(PDF.name, "https://example.org/files/9.pdf"),)), ("link",)),
    ],
)
def test_each_kind_of_edit_is_named(new, kinds):
    assert classify(OLD, new).kinds == kinds


@pytest.mark.parametrize(
    "old, new, kinds",
    [
        ("외교부 장관은 말라위 대표단을 접견하였다.", "외교부 장관은 말레이시아 대표단을 접견하였다.", ("name",)),
        ("外交部长王毅会见马拉维代表团。", "外交部长王毅会见马来西亚代表团。", ("name",)),
        ("双方同意继续合作。", "双方不同意继续合作。", ("negation",)),
        ("会談は8月6日に行われた。", "会談は8月7日に行われた。", ("number",)),
        ("Le ministre a rencontré la délégation.", "Le ministre n'a pas rencontré la délégation.", ("negation",)),
    ],
)
def test_kinds_in_other_languages(old, new, kinds):
    assert classify(Content("T", None, old), Content("T", None, new)).kinds == kinds


@pytest.mark.parametrize(
    "old, new, kinds",
    [
        # Swedish negators and modals (the bench's Swedish negations were typed wording)
        ("Skolan är öppen under lovet.", "Skolan är inte öppen under lovet.", ("negation",)),
        ("Kommunen ska bygga en ny skola.", "Kommunen bör bygga en ny skola.", ("negation",)),
        # "May" inside a sentence is the month: it was typed a modal, and a date moved read as a negation
        ("The office sued the company in May 2023.", "The office sued the company in January 2023.", ("number",)),
        ("May we add that it was settled.", "Might we add that it was settled.", ("negation",)),
        # a Japanese verb's negation changes a letter or two of its ending: typed wording before
        ("戦略を着実に進めています。", "戦略を着実に進めていません。", ("negation",)),
        ("問題がある。", "問題がない。", ("negation",)),
        # 非 stands in 非洲 (Africa): a name swapped was typed a negation too
        ("外交部长会见马来西亚代表团。", "外交部长会见非洲代表团。", ("name",)),
        # a word of Latin letters or digits stopped at nothing: "9月1日のデジタル庁" was one token
        ("9月1日のデジタル庁創設に際して移管する。", "9月1日の中国創設に際して移管する。", ("name",)),
        # in scripts without case a name is found by its span (storage.contract.kind_names), not by the run's length:
        # 中国 → 美国 changed one letter and was typed wording, 合作 → 交流 (common words) was typed a name
        ("中国展台前人头攒动。", "美国展台前人头攒动。", ("name",)),
        ("两国在各领域交流合作取得成果。", "两国在各领域交流进步取得成果。", ("wording",)),
        ("デジタル社会の形成にあたって、", "デジタル世界の形成にあたって、", ("wording",)),
        ("総務省が発表した。", "外務省が発表した。", ("name",)),  # a body by its ending
        ("胡平华女士表示欢迎。", "李小红女士表示欢迎。", ("name",)),  # a person before a title
        ("会见默克尔总理。", "会见肖尔茨总理。", ("name",)),  # a foreign name spelt out
        ("タイトルを変えた。", "タイトルを直した。", ("wording",)),  # タイ (Thailand) only as a whole word
        # a straight quotation mark closed by a curly one: the words inside were not typed a quote
        (
            'O mote "Viaje pelo Brasil. Gigante pela própria natureza” têm foco.',
            'O mote "Viaje pelo Brasil. Gigante regional própria natureza” têm foco.',
            ("quote", "wording"),
        ),
        # a sentence ending in a closed quotation ran on into the next: a sentence added was typed wording
        (
            "It was actually $1,888,388. Schulman then instructed Zapken.",
            "It was actually $1,888,388. Today, victims are on my mind.” Schulman then instructed Zapken.",
            ("sentence_added",),
        ),
        # a typo fixed in a modal or a month's name was typed a negation or a date changed
        ("Stations sould be accessible to all.", "Stations should be accessible to all.", ("spelling",)),
        ("Anmälan öppnar 13 oktoer.", "Anmälan öppnar 13 oktober.", ("spelling",)),
        ("They acted wtihout delay.", "They acted without delay.", ("spelling",)),
        ("The office has never said so.", "The office has ever said so.", ("negation",)),  # an end letter: a word
        # a figure alone in its paragraph: no word in common, so it was taken out and put in
        ("Lund firar.\n\n2016", "Lund firar.\n\n2019", ("number",)),
        # "4." numbers its sentence and is none: the figure changed was a sentence taken out and put in
        (
            "4. Alice Ho Miu Ling Nethersole Hospital 5 Female Stable",
            "7. Alice Ho Miu Ling Nethersole Hospital 5 Female Stable",
            ("number",),
        ),
    ],
)
def test_fixes_found_by_the_labelled_set(old, new, kinds):
    assert classify(Content("T", None, old), Content("T", None, new)).kinds == kinds


LONG = (
    "The report, which was published by the regional authority after a review of several hundred cases over "
    "three years, recommends that the rules on inspections be tightened and that staff be trained again."
)


@pytest.mark.parametrize(
    "old, new, kinds",
    [
        # a long sentence taken out of a short paragraph left too few words in common: the paragraph was
        # typed removed and another added; a sentence in common makes them one paragraph
        (f"The minister spoke. {LONG}", "The minister spoke.", ("sentence_removed",)),
        ("The minister spoke.", f"The minister spoke. {LONG}", ("sentence_added",)),
        # a quotation of several sentences: the second had no mark of its own and was not typed a quote
        (
            "\u201cWe welcome it. We will act on maritime security today.\u201d said the minister.",
            "\u201cWe welcome it. We will act on maritime safety today.\u201d said the minister.",
            ("quote", "wording"),
        ),
        # a quotation running on to the next paragraph opens each and closes only at its last
        (
            "\u201cThe first part of it. The talks on trade went well.\n\nThe second part.\u201d",
            "\u201cThe first part of it. The talks on trade went badly.\n\nThe second part.\u201d",
            ("quote", "wording"),
        ),
    ],
)
def test_paragraphs_and_quotations_across_sentences(old, new, kinds):
    assert classify(Content("T", None, old), Content("T", None, new)).kinds == kinds


def test_every_substantive_change_ranks_above_every_cosmetic_one():
    substantive = [
        edited(BODY.replace("Malawi on", "Marawi on")),
        edited(BODY.replace("6 August", "7 August")),
        edited(BODY.replace("will continue", "may continue")),
        edited(published="2017-08-07"),
        edited(title="Minister meets the delegation of Marawi"),
        edited(attachments=()),
        edited(BODY.replace("\n\n4. A joint statement was issued after the meeting.", "")),
    ]
    cosmetic = [
        edited(BODY.replace("joint statement", "joint stetement")),
        edited(BODY.replace("meeting.", "meeting .")),
        edited(BODY.replace("  ", " ").upper()),
    ]
    low = max(classify(OLD, new).significance for new in cosmetic)
    high = min(classify(OLD, new).significance for new in substantive)
    assert low <= 0.2 < 0.7 <= high


def test_the_vocabulary_is_documented_and_nothing_is_no_change():
    assert COSMETIC <= set(KINDS)
    assert classify(OLD, OLD).kinds == () and classify(OLD, OLD).significance == 0.0


def test_a_crawl_records_kinds_and_changes_filters_by_them(crawl, board, db):
    import json
    import sqlite3

    from storage.write.archive import Archive

    from .helpers import run_presswatch

    assert crawl().returncode == 0
    state = board.state()
    first, second = state["releases"][0], state["releases"][1]
    first["paragraphs"][1] = "2. The two sides agreed to meet again in 2027."  # a number
    second["paragraphs"][1] = "2. The two sides agreed to meet again next year ."  # typography
    board.set(state)
    assert crawl().returncode == 0
    found = json.loads(run_presswatch("changes", "--db", db, "--json").stdout)
    by_release = {row["release"]: row for row in found if row["event"] == "changed"}
    number, spacing = by_release[f"mofa_en:{first['seq']}"], by_release[f"mofa_en:{second['seq']}"]
    assert number["kinds"] == ["number"] and number["significance"] >= 0.8
    assert spacing["kinds"] == ["typography"] and spacing["significance"] <= 0.2
    significant = json.loads(run_presswatch("changes", "--db", db, "--json", "--min-significance", "0.5").stdout)
    assert [row["release"] for row in significant if row["event"] == "changed"] == [f"mofa_en:{first['seq']}"]
    typographic = json.loads(run_presswatch("changes", "--db", db, "--json", "--kind", "typography").stdout)
    assert [row["release"] for row in typographic] == [f"mofa_en:{second['seq']}"]
    bad = run_presswatch("changes", "--db", db, "--kind", "typo")
    assert bad.returncode == 2 and "Invalid value for '--kind'" in bad.stderr
    # most significant first: the number above the typography, events that are no changed version
    # (the releases the first crawl found) as 1, the same rows and fields as newest first
    ranked = json.loads(run_presswatch("changes", "--db", db, "--json", "--sort", "significance").stdout)
    assert [row["release"] for row in ranked if row["event"] == "changed"] == [number["release"], spacing["release"]]
    scores = [1 if row["significance"] is None else row["significance"] for row in ranked]
    assert scores == sorted(scores, reverse=True) and ranked[-1]["release"] == spacing["release"]
    assert sorted(map(json.dumps, ranked)) == sorted(map(json.dumps, found))
    assert json.loads(run_presswatch("changes", "--db", db, "--json", "--sort", "time").stdout) == found
    assert run_presswatch("changes", "--db", db, "--sort", "size").returncode == 2

    # An archive from before kinds were kept gets them when its writer next opens it.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE versions SET change_kinds = NULL, significance = NULL")
    Archive.open(db).close()
    with sqlite3.connect(db) as conn:
        assert sorted(conn.execute("SELECT change_kinds FROM versions WHERE version > 1")) == [
            ('["number"]',),
            ('["typography"]',),
        ]


def test_key_terms_raise_a_change_that_touches_them():
    terms = ("agreed", "maritime security")
    plain = edited(BODY.replace("discussed trade", "discussed fisheries"))  # a sentence without a key term
    near = edited(BODY.replace("to cooperate", "to work together"))  # wording in the sentence that says "agreed"
    inside = edited(BODY.replace("maritime security", "maritime  security").replace("agreement on", "accord on"))
    assert classify(OLD, plain, terms).significance == classify(OLD, plain).significance
    assert classify(OLD, near, terms).significance == pytest.approx(classify(OLD, near).significance + 0.15)
    assert classify(OLD, inside, terms).significance > classify(OLD, inside).significance
    assert classify(OLD, near, terms).kinds == classify(OLD, near).kinds  # the kinds do not change
    # a paragraph taken out, the title, an attachment's name: each touches what it held
    gone = edited(
        BODY.replace("\n\n3. The Minister said: \u201cWe welcome the agreement on maritime security.\u201d", "")
    )
    assert classify(OLD, gone, terms).significance > classify(OLD, gone).significance
    assert classify(OLD, edited(title="Minister meets the delegation"), ("delegation",)).significance == 1.0
    renamed = edited(attachments=(Attachment("delegation list.pdf", PDF.url),))
    assert classify(OLD, renamed, ("delegation",)).significance > classify(OLD, renamed).significance


def test_key_terms_match_whole_words_in_any_case_and_anywhere_in_cjk():
    old, new = Content("T", None, "Sanctions were lifted in May."), Content("T", None, "Sanctions were eased in May.")
    assert classify(old, new, ("sanctions",)).significance > classify(old, new).significance
    assert classify(old, new, ("sanction",)).significance == classify(old, new).significance  # not inside a word
    korean = (Content("T", None, "사상자가 3명으로 늘었다."), Content("T", None, "사상자가 5명으로 늘었다."))
    assert classify(*korean, ("사상자",)).significance > classify(*korean).significance
    chinese = (
        Content("T", None, "双方讨论了制裁问题，同意继续对话。"),
        Content("T", None, "双方讨论了制裁问题，也同意继续对话。"),
    )
    assert classify(*chinese, ("制裁",)).significance > classify(*chinese).significance


def test_a_cosmetic_change_beside_a_key_term_stays_cosmetic():
    comma = edited(BODY.replace("delegation of Malawi", "delegation, of Malawi"))
    typo = edited(BODY.replace("delegation", "delegaton"))
    for new in (comma, typo):
        change = classify(OLD, new, ("delegation", "delegaton", "Malawi"))
        assert set(change.kinds) <= COSMETIC and change.significance <= 0.2


def test_a_profiles_key_terms_rank_a_crawled_change_higher(crawl, board, db, tmp_path):
    import json
    import sqlite3

    from .helpers import ROOT, run_presswatch

    sites = tmp_path / "sites"
    sites.mkdir()
    profile = (ROOT / "crawler" / "sites" / "mofa_en.toml").read_text("utf-8")
    (sites / "mofa_en.toml").write_text(profile.replace('key = "seq"\n', 'key = "seq"\nkey_terms = ["Cooperation"]\n'))
    env = {"PRESSWATCH_SITES_DIR": str(sites)}
    assert crawl(env=env).returncode == 0
    state = board.state()
    keyed, plain, spaced = state["releases"][0], state["releases"][1], state["releases"][2]
    keyed["paragraphs"][1] = "2. The two sides agreed to meet again next year on cooperation."  # the same edit ...
    plain["paragraphs"][1] = "2. The two sides agreed to meet again next year on transport."  # ... without the term
    spaced["paragraphs"][0] = spaced["paragraphs"][0].replace("cooperation.", "cooperation .")  # beside it, cosmetic
    board.set(state)
    assert crawl(env=env).returncode == 0
    found = json.loads(run_presswatch("changes", "--db", db, "--json", env=env).stdout)
    by_release = {row["release"]: row for row in found if row["event"] == "changed"}
    first, second, third = (by_release[f"mofa_en:{r['seq']}"] for r in (keyed, plain, spaced))
    assert first["kinds"] == second["kinds"] == ["wording"]
    assert first["significance"] >= second["significance"] + 0.1
    assert third["kinds"] == ["typography"] and third["significance"] <= 0.2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key_terms FROM sites WHERE id = 'mofa_en'").fetchone() == ('["Cooperation"]',)
