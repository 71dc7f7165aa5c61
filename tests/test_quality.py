"""The evaluation gate of profile-less extraction (bench/quality.py)."""

from bench import quality


def test_generic_extraction_holds_its_baseline_and_beats_trafilatura_alone():
    results = quality.evaluate()
    ours, theirs = results["presswatch (generic)"], results["trafilatura alone"]
    floor = quality.baseline()
    assert ours.pages >= 100
    assert ours.f1 >= floor["f1"], quality.table(results)
    assert ours.leak_rate <= floor["leak_rate"], quality.table(results)
    assert ours.f1 > theirs.f1 and ours.leak_rate < theirs.leak_rate


def test_real_saved_pages_hold_the_same_floor():
    floor = quality.baseline()
    for group in quality.real_corpus():  # real boards' pages, hand-checked records (tests/files/corpus)
        ours = quality.score([group], quality.presswatch_bodies)
        assert ours.f1 >= floor["f1"] and ours.leak_rate <= floor["leak_rate"], (group[0].group, quality.real_table())
