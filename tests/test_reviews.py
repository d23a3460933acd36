"""Progress reviews, their sign-off files, and the gateway items that read them."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from test_gateway import PROFILE, TODAY, ready_portfolio

from companion.assessment.gateway import FAIL, PASS, WARN, gateway_check
from companion.assessment.reviews import review_schedule
from companion.assessment.rules import check_portfolio
from companion.assessment.status import build_status
from companion.content.bundled import bundled_content_dir
from companion.content.load import load_content
from companion.content.problems import ContentError
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import load_profile
from companion.review.signoff import (
    TYPED_NAME,
    Signature,
    SignOff,
    SignOffError,
    Statement,
    import_signoff,
    parse_signoff,
    render_signoff,
)
from companion.views.otj import reviews_text


@pytest.fixture(scope="module")
def content():
    return load_content()


def _status(root: Path, content, today: dt.date = TODAY):
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    return build_status(portfolio, today)


def _items(root: Path, content, today: dt.date = TODAY) -> dict:
    return {i.id: i for i in gateway_check(_status(root, content, today), today)}


def _profile(root: Path, **changes) -> None:
    data = PROFILE | changes
    (root / "companion.yaml").write_text(
        yaml.safe_dump({k: v for k, v in data.items() if v is not None})
    )


# --- the schedule ------------------------------------------------------------------------


def test_an_overdue_review_warns_and_never_blocks(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    for date in ("2026-08-05", "2026-10-30"):
        (root / "reviews" / f"{date}.md").unlink()
    item = _items(root, content)["progress-reviews"]
    assert item.state == WARN and not item.blocks
    assert item.reason.startswith("Progress review OVERDUE by 83 days")


def test_the_next_review_is_due_three_calendar_months_after_the_last(content, tmp_path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    for date in ("2026-08-05", "2026-10-30"):
        (root / "reviews" / f"{date}.md").unlink()
    schedule = review_schedule(_status(root, content), TODAY)
    assert schedule.last is not None and schedule.last.date == dt.date(2026, 5, 10)
    assert schedule.next_due == dt.date(2026, 8, 31)
    assert schedule.overdue == (TODAY - dt.date(2026, 8, 31)).days == 83
    assert schedule.line() == (
        "Progress review OVERDUE by 83 days: due by 2026-08-31 (every 3 calendar months; last "
        "on 2026-05-10)."
    )


def test_a_review_held_late_is_named(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    (root / "reviews" / "2026-02-15.md").unlink()  # 2025-11-20 to 2026-05-10 is too long
    item = _items(root, content)["progress-reviews"]
    assert item.state == WARN
    assert item.reason.endswith("Held late: 2026-05-10 (due by 2026-02-28).")


def test_without_a_sourced_interval_the_learner_sets_the_agreed_one(content, tmp_path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    _profile(root, programme_start="2024-09-02")  # 2024/25: the interval was not found
    item = _items(root, content)["progress-reviews"]
    assert item.state == WARN and "set review_every in companion.yaml" in item.reason
    _profile(root, programme_start="2024-09-02", review_every="12 weeks")
    schedule = review_schedule(_status(root, content), TODAY)
    assert schedule.rule.agreed and schedule.next_due == dt.date(2027, 1, 22)  # 30 Oct + 84 days


def test_a_review_record_is_not_evidence(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    profile = load_profile(root)
    reviews = [r for r in portfolio.records.values() if r.path.startswith("reviews/")]
    assert check_portfolio(reviews, content, profile, TODAY) == []  # no ref/learner demanded


# --- sign-off files ------------------------------------------------------------------------


PACK = "review-2026-10-30.docx"
PACK_BYTES = b"the review pack as it was discussed"


def _signed(review: dt.date | None = dt.date(2026, 10, 30), **changes) -> SignOff:
    parties = {
        "apprentice": Signature("Alex Morgan", "", dt.date(2026, 10, 30), True),
        "employer": Signature("Jo Smith", "line manager", dt.date(2026, 10, 31), True),
        "provider": Signature("Priya Patel", "tutor", dt.date(2026, 11, 2), True),
    }
    values = {
        "learner": "Alex Morgan",
        "review_date": review,
        "parties": parties,
        "statement": Statement(True, "Jo Smith", dt.date(2026, 10, 31)),
        "pack": PACK,
        "pack_sha256": hashlib.sha256(PACK_BYTES).hexdigest(),
    } | changes
    return SignOff(**values)


def _file(tmp_path: Path, text: str, name: str = "signed.signoff.yaml") -> Path:
    """The sign-off as it comes back, beside the pack it signs."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (tmp_path / PACK).write_bytes(PACK_BYTES)
    return path


def test_a_signed_file_reads_back_as_written(tmp_path: Path) -> None:
    signoff = _signed()
    again = parse_signoff(render_signoff(signoff).encode(), "x", TODAY)
    assert again.signed == ["apprentice", "employer", "provider"] and again.complete
    assert again.statement == signoff.statement
    assert again.parties == signoff.parties


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace("schema: companion.signoff/1", "schema: other"),
            "not a companion sign-off file",
        ),
        (
            lambda t: t.replace("learner: Alex Morgan", "learner: [Alex"),
            "not a sign-off file at line 9",
        ),
        (lambda t: t + "extra: 1\n", "unknown field 'extra' in the file"),
        (
            lambda t: t.replace("    signed: true", "    signed: maybe", 1),
            "parties.apprentice.signed must be true or false",
        ),
        (
            lambda t: t.replace("    date: 2026-10-30", "    date: soon", 1),
            "parties.apprentice.date must be a date",
        ),
        (
            lambda t: t.replace("date: 2026-11-02", "date: 2026-12-25"),
            "parties.provider is dated 2026-12-25, in the future",
        ),
        (
            lambda t: t.replace("date: 2026-11-02", "date: 2026-10-01"),
            "parties.provider is dated 2026-10-01, before the review on 2026-10-30",
        ),
        (
            lambda t: t.replace("    name: Jo Smith\n", "    name:\n"),
            "parties.employer is signed but without a name and a date",
        ),
        (
            lambda t: t.replace("signed: true", "signed: false").replace(
                "confirmed: true", "confirmed: false"
            ),
            "nobody has signed it yet",
        ),
        (lambda t: t.replace("  apprentice:", "  witness:"), "unknown field 'witness' in parties"),
        (lambda t: "x" * 70_000, "larger than a sign-off can be (64 KB)"),
        # wrong types
        (
            lambda t: t.replace("    name: Jo Smith\n", "    name: [Jo, Smith]\n"),
            "'parties.employer.name' must be a name",
        ),
        (
            lambda t: t.split("parties:")[0] + "parties: [apprentice, employer]\n",
            "parties must be a set of fields",
        ),
        (
            lambda t: t.replace("pack_sha256: ", "pack_sha256: 12 #", 1),
            "pack_sha256 must be the pack's SHA-256 in hex",
        ),
        (lambda t: t.replace(f"pack: {PACK}", "pack: 42"), "pack must be the pack's file name"),
        (
            lambda t: t.replace("learner: Alex Morgan", "learner: {a: 1}"),
            "'learner' must be a name",
        ),
        # control characters and terminal escapes in names
        (
            lambda t: t.replace("    name: Jo Smith", '    name: "Jo \\e[31mSmith"'),
            "'parties.employer.name' holds control characters",
        ),
        (
            lambda t: t.replace("learner: Alex Morgan", 'learner: "Alex\\x07 Morgan"'),
            "'learner' holds control characters",
        ),
        # the pack's name is a file name beside the sign-off, never a path
        (
            lambda t: t.replace(f"pack: {PACK}", "pack: ../review.docx"),
            "pack must be a plain file name, not a path",
        ),
        (
            lambda t: t.replace(f"pack: {PACK}", "pack: /etc/passwd"),
            "pack must be a plain file name, not a path",
        ),
        (
            lambda t: t.replace(f"pack: {PACK}", "pack: 'exports\\review.docx'"),
            "pack must be a plain file name, not a path",
        ),
        (lambda t: t.replace(f"pack: {PACK}", "pack: '..'"), "pack must be a plain file name"),
        # how someone signed: only the ways companion knows
        (
            lambda t: t.replace("    signed: true\n", "    signed: true\n    method: fax\n", 1),
            "parties.apprentice.method must be one of typed-name, file",
        ),
        (
            lambda t: t.replace("    signed: true\n", "    signed: true\n    method: [1]\n", 1),
            "parties.apprentice.method must be one of typed-name, file",
        ),
    ],
)
def test_a_bad_sign_off_is_refused_in_one_line(change, message) -> None:
    text = change(render_signoff(_signed()))
    with pytest.raises(SignOffError) as caught:
        parse_signoff(text.encode(), "signed.signoff.yaml", TODAY)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


def test_import_keeps_a_normalised_copy_named_by_the_review_date(content, tmp_path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, "# the employer wrote this\n" + render_signoff(_signed()))
    result = import_signoff(source, root, load_profile(root), TODAY)
    assert result.outcome == "added"
    assert result.path == root / "reviews" / "signoff" / "2026-10-30.signoff.yaml"
    assert result.path.read_text() == render_signoff(_signed())  # companion's own rendering
    assert import_signoff(source, root, load_profile(root), TODAY).outcome == "unchanged"


def test_how_each_person_signed_reads_back() -> None:
    parties = _signed().parties | {
        "employer": Signature("Jo Smith", "line manager", dt.date(2026, 10, 31), True, TYPED_NAME)
    }
    text = render_signoff(_signed(parties=parties))
    assert "    signed: true\n    method: typed-name\n" in text
    again = parse_signoff(text.encode(), "x", TODAY)
    assert again.parties["employer"].method == TYPED_NAME
    assert again.parties["employer"].how == "signed in the browser by typing their name"
    assert again.parties["provider"].method == ""
    assert again.parties["provider"].how == "signed on the sign-off file"


def _refused(source: Path, root: Path, **options) -> str:
    with pytest.raises(SignOffError) as caught:
        import_signoff(source, root, load_profile(root), TODAY, **options)
    assert "\n" not in caught.value.message
    assert not (root / "reviews" / "signoff").exists()
    return caught.value.message


def test_import_refuses_a_sign_off_whose_pack_is_not_beside_it(content, tmp_path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed()))
    (tmp_path / PACK).unlink()
    assert _refused(source, root) == (
        f"signed.signoff.yaml: the pack {PACK} it signs is not beside it"
    )


def test_import_refuses_a_sign_off_of_a_changed_pack(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed()))
    (tmp_path / PACK).write_bytes(PACK_BYTES + b" and a line added afterwards")
    assert _refused(source, root) == (
        f"signed.signoff.yaml: the pack {PACK} was changed after it was signed "
        "(its SHA-256 differs)"
    )


def test_import_refuses_the_hash_of_another_pack(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    other = hashlib.sha256(b"the pack of another review").hexdigest()
    source = _file(tmp_path, render_signoff(_signed(pack_sha256=other)))
    assert "was changed after it was signed (its SHA-256 differs)" in _refused(source, root)


def test_import_never_reads_the_pack_through_a_link(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed()))
    real = tmp_path / "elsewhere.docx"
    (tmp_path / PACK).rename(real)
    os.symlink(real, tmp_path / PACK)
    assert _refused(source, root) == (
        f"signed.signoff.yaml: the pack {PACK} is a symbolic link; put the pack itself beside it"
    )


def test_import_refuses_a_pack_that_is_a_folder(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed()))
    (tmp_path / PACK).unlink()
    (tmp_path / PACK).mkdir()
    assert _refused(source, root) == f"signed.signoff.yaml: the pack {PACK} is not a regular file"


def test_import_reads_the_pack_capped(content, tmp_path: Path, monkeypatch) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    monkeypatch.setattr("companion.review.signoff.MAX_PACK_BYTES", 16)
    source = _file(tmp_path, render_signoff(_signed()))
    assert "is larger than a pack can be" in _refused(source, root)


def test_a_sign_off_naming_no_pack_needs_no_pack_to_be_kept(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed(pack="", pack_sha256="")))
    assert _refused(source, root) == (
        "signed.signoff.yaml does not name the pack it signs (pack and pack_sha256); sign the "
        "pack companion wrote, or import it with --no-pack to keep it without that check"
    )
    result = import_signoff(source, root, load_profile(root), TODAY, no_pack=True)
    assert result.outcome == "added"


def test_no_pack_never_skips_the_check_of_a_pack_the_file_names(content, tmp_path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed()))
    (tmp_path / PACK).write_bytes(b"another pack")
    assert "its SHA-256 differs" in _refused(source, root, no_pack=True)


def test_the_review_shows_who_signed_when_and_how(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    parties = _signed().parties | {
        "employer": Signature("Jo Smith", "line manager", dt.date(2026, 10, 31), True, TYPED_NAME)
    }
    parties.pop("provider")
    source = _file(tmp_path, render_signoff(_signed(parties=parties)))
    import_signoff(source, root, load_profile(root), TODAY)
    note = root / "reviews" / "2026-10-30.md"
    note.write_text(
        "---\ntitle: Review\ntype: progress-review\ndate: 2026-10-30\nsignoff:\n"
        "  provider: {name: Priya Patel, date: 2026-11-02, signed: true}\n---\nNotes.\n"
    )
    schedule = review_schedule(_status(root, content), TODAY)
    review = schedule.reviews[-1]
    assert [s.line() for s in review.signers] == [
        "apprentice: Alex Morgan on 2026-10-30, signed on the sign-off file",
        "employer: Jo Smith on 2026-10-31, signed in the browser by typing their name",
        "provider: Priya Patel on 2026-11-02, signed on the review record",
    ]
    listed = schedule.to_json()["reviews"][-1]
    assert listed["signed"] == ["apprentice", "employer", "provider"]
    assert listed["signatures"][1] == {
        "role": "employer",
        "name": "Jo Smith",
        "date": "2026-10-31",
        "method": "typed-name",
    }
    text = reviews_text(schedule)
    assert (
        "  2026-10-30  reviews/2026-10-30.md  signed: apprentice, employer, provider\n"
        "      apprentice: Alex Morgan on 2026-10-30, signed on the sign-off file\n"
        "      employer: Jo Smith on 2026-10-31, signed in the browser by typing their name\n"
    ) in text


def test_a_name_on_the_review_record_is_shown_without_its_escapes(content, tmp_path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    (root / "reviews" / "2026-10-30.md").write_text(
        "---\ntitle: Review\ntype: progress-review\ndate: 2026-10-30\nsignoff:\n"
        '  provider: {name: "Priya\\e[2J Patel", date: 2026-11-02, signed: true}\n---\n'
    )
    text = reviews_text(review_schedule(_status(root, content), TODAY))
    assert "\x1b" not in text and "provider: Priya" in text


def test_import_refuses_another_learners_sign_off(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    source = _file(tmp_path, render_signoff(_signed(learner="Sam Lee")))
    with pytest.raises(SignOffError) as caught:
        import_signoff(source, root, load_profile(root), TODAY)
    assert caught.value.message == (
        "signed.signoff.yaml is a sign-off for 'Sam Lee', but this portfolio is Alex Morgan's; "
        "nothing was imported"
    )
    assert not (root / "reviews" / "signoff").exists()


def test_import_never_follows_links(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    real = _file(tmp_path, render_signoff(_signed()))
    link = tmp_path / "link.signoff.yaml"
    os.symlink(real, link)
    with pytest.raises(SignOffError) as caught:
        import_signoff(link, root, load_profile(root), TODAY)
    assert caught.value.message == "link.signoff.yaml is a symbolic link; give the file itself"
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "reviews" / "signoff")
    with pytest.raises(SignOffError) as caught:
        import_signoff(real, root, load_profile(root), TODAY)
    assert "is a link or points outside the portfolio" in caught.value.message
    assert list(outside.iterdir()) == []


def test_import_never_drops_a_signature_already_kept(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    import_signoff(_file(tmp_path, render_signoff(_signed())), root, load_profile(root), TODAY)
    fewer = _signed(
        parties={"apprentice": Signature("Alex Morgan", "", dt.date(2026, 10, 30), True)}
    )
    with pytest.raises(SignOffError) as caught:
        import_signoff(
            _file(tmp_path, render_signoff(fewer), "b.yaml"), root, load_profile(root), TODAY
        )
    assert "already holds the signature of the employer, provider" in caught.value.message


def test_the_employer_statement_passes_with_a_signed_file(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content, employer_statement=False)
    assert _items(root, content)["employer-statement"].state == FAIL
    import_signoff(_file(tmp_path, render_signoff(_signed())), root, load_profile(root), TODAY)
    item = _items(root, content)["employer-statement"]
    assert (item.state, item.reason) == (
        PASS,
        "Signed by Jo Smith on 2026-10-31 (2026-10-30.signoff.yaml).",
    )
    schedule = review_schedule(_status(root, content), TODAY)
    assert schedule.last is not None and schedule.last.fully_signed


def test_a_kept_sign_off_for_someone_else_is_not_used(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content, employer_statement=False)
    folder = root / "reviews" / "signoff"
    folder.mkdir(parents=True)
    (folder / "2026-10-30.signoff.yaml").write_text(render_signoff(_signed(learner="Sam Lee")))
    assert _items(root, content)["employer-statement"].state == FAIL
    schedule = review_schedule(_status(root, content), TODAY)
    assert schedule.signoffs.problems == (
        "2026-10-30.signoff.yaml is a sign-off for 'Sam Lee'; not used",
    )


# --- English and maths: Level 2, or the exemption the rules allow --------------------------


@pytest.mark.parametrize(
    ("changes", "state", "reason"),
    [
        ({}, PASS, "Confirmed in companion.yaml."),
        (
            {"english_maths_level2": False},
            FAIL,
            "Not confirmed. Whether Level 2 is still needed depends on your age at the start",
        ),
        (
            {"english_maths_level2": False, "age_at_start": 34},
            FAIL,
            "Level 2 is not required for you (DfE Apprenticeship Service help centre",
        ),
        (
            {
                "english_maths_level2": False,
                "age_at_start": 34,
                "english_maths_exemption": {"date": "2025-09-15", "confirmed_by": "Jo Smith"},
            },
            PASS,
            "exemption confirmed by Jo Smith on 2025-09-15.",
        ),
        (
            {
                "english_maths_level2": False,
                "age_at_start": 18,
                "english_maths_exemption": {"date": "2025-09-15", "confirmed_by": "Jo Smith"},
            },
            FAIL,
            "The exemption in companion.yaml does not apply: you were 18 at the start. Not "
            "confirmed: set english_maths_level2: true in companion.yaml once achieved.",
        ),
        (
            {
                "english_maths_level2": False,
                "age_at_start": 34,
                "english_maths_exemption": {"date": "2025-01-15", "confirmed_by": "Jo Smith"},
            },
            FAIL,
            "The exemption is dated 2025-01-15, before the rule allowed it (from 2025-02-11)",
        ),
    ],
)
def test_english_and_maths_accepts_an_exemption_where_the_rule_allows(
    content, tmp_path: Path, changes, state, reason
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    _profile(root, **changes)
    item = _items(root, content)["english-maths"]
    assert item.state == state
    assert reason in item.reason
    assert item.label == "Level 2 English and maths confirmed, or an exemption recorded"


def test_before_11_february_2025_an_exemption_is_not_enough(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    _profile(
        root,
        programme_start="2023-09-04",
        planned_gateway="2025-03-03",
        english_maths_level2=False,
        age_at_start=34,
        english_maths_exemption={"date": "2025-01-06", "confirmed_by": "Jo Smith"},
    )
    day = dt.date(2025, 2, 10)
    item = _items(root, content, day)["english-maths"]
    assert item.state == FAIL and "the rule on 2025-02-10 requires Level 2" in item.reason


# --- off-the-job hours at gateway -----------------------------------------------------------


def test_otj_hours_block_until_the_minimum_is_logged(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    _profile(root, otj_planned_hours=300)
    item = _items(root, content)["otj-hours"]
    assert (item.state, item.reason) == (
        FAIL,
        "200 of 300 hours logged; 100 to go by the planned gateway (2027-03-15); 40 behind the "
        "plan today.",
    )
    _profile(root, otj_planned_hours=None)
    item = _items(root, content)["otj-hours"]
    assert item.state == FAIL and "otj_planned_hours" in item.reason
    _profile(root)
    (root / "otj.yaml").write_text((root / "otj.yaml").read_text() + "- date: 2026-13-01\n")
    item = _items(root, content)["otj-hours"]
    assert item.state == FAIL and item.reason.startswith("1 problem(s) in the log, the first:")


def test_a_framework_listing_funding_checks_needs_funding_rules(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), folder, ignore=shutil.ignore_patterns("__*"))
    (folder / "funding.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert "gateway check 'otj-hours' needs 'otj-minimum' rules in funding.yaml" in str(
        caught.value
    )
    assert "gateway check 'progress-reviews' needs 'progress-review' rules" in str(caught.value)


def test_a_new_review_record_comes_from_its_template(content, tmp_path: Path) -> None:
    from companion.portfolio.templates import create_note

    root = ready_portfolio(tmp_path / "p", content)
    _profile(root, line_manager="Jo Smith", tutor="Priya Patel")
    portfolio = Portfolio(root, content, use_store=False)
    path = create_note(portfolio, "", "progress-review", today=dt.date(2026, 11, 20))
    assert path == root / "reviews" / "2026-11-20-progress-review.md"
    portfolio.scan()
    record = portfolio.records["reviews/2026-11-20-progress-review.md"]
    assert record.get("type") == "progress-review" and record.get("title") == (
        "Progress review, 20 November 2026"
    )
    assert record.get("attendees") == {
        "apprentice": "Alex Morgan",
        "employer": "Jo Smith",
        "provider": "Priya Patel",
    }
    assert set(record.get("signoff")) == {"apprentice", "employer", "provider"}
    assert check_portfolio([record], content, load_profile(root), TODAY) == []
    schedule = review_schedule(_status(root, content), TODAY)
    assert schedule.last is not None and schedule.last.date == dt.date(2026, 11, 20)
    assert not schedule.last.signed
