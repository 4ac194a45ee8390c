"""Which run of a report folder owns which file: the last run that wrote it; a run's stale files are those it wrote
before, writes no more, and no other run owns."""

from jobpolicy.services.report_ownership import SUMMARY, hand_over, institution_owner

SCHOOL = institution_owner("4114010108")


def test_what_a_run_no_longer_writes_is_stale():
    files = {SUMMARY: ["index.html", "institutions/a.html", "items/x.html"]}
    after, stale = hand_over(files, SUMMARY, ["index.html", "institutions/b.html"])
    assert stale == ["institutions/a.html", "items/x.html"]
    assert after == {SUMMARY: ["index.html", "institutions/b.html"]}
    assert files == {SUMMARY: ["index.html", "institutions/a.html", "items/x.html"]}  # left as it was


def test_a_file_another_run_wrote_last_is_not_stale():
    files = {SUMMARY: ["index.html", "institutions/a.html"], SCHOOL: ["institutions/a.html", "evidence/1/x.pdf"]}
    after, stale = hand_over(files, SUMMARY, ["index.html"])
    assert stale == []
    assert after[SCHOOL] == ["institutions/a.html", "evidence/1/x.pdf"]


def test_writing_a_file_takes_it_over():
    files = {SCHOOL: ["institutions/a.html"], SUMMARY: ["index.html"]}
    after, stale = hand_over(files, SUMMARY, ["index.html", "institutions/a.html"])
    assert after == {SUMMARY: ["index.html", "institutions/a.html"]}  # the school's run owns nothing more
    assert stale == []
    assert hand_over(after, SUMMARY, ["index.html"])[1] == ["institutions/a.html"]


def test_a_run_never_listed_before_has_nothing_stale():
    after, stale = hand_over({}, SCHOOL, ["institutions/a.html"])
    assert (after, stale) == ({SCHOOL: ["institutions/a.html"]}, [])
