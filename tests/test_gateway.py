"""The gateway readiness check: each item passes on a ready portfolio and fails on its own problem."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from companion.assessment.gateway import (
    FAIL,
    PASS,
    WARN,
    add_months,
    blocking,
    gateway_check,
    readiness,
)
from companion.assessment.status import build_status
from companion.cli.main import main
from companion.content.load import load_content
from companion.portfolio.portfolio import Portfolio

TODAY = dt.date(2026, 11, 22)
PROFILE = {
    "learner": "Alex Morgan",
    "programme_start": "2025-09-01",
    "planned_gateway": "2027-03-15",
    "english_maths_level2": True,
    "employer_statement": True,
    "hours_per_week": 37.5,
    "otj_planned_hours": 200,
}
REVIEWS = ("2025-11-20", "2026-02-15", "2026-05-10", "2026-08-05", "2026-10-30")
"""A review at least every 3 calendar months (the 2025/26 rule for a September 2025 start)."""
SUMMARY = (
    "---\ntitle: Repairs scheduling\ntype: proposal-summary\nlearner: Alex Morgan\n---\n\n"
    "## Scope and KPIs\n\nAll three regions; first-time fix rate.\n"
)


@pytest.fixture(scope="module")
def content():
    return load_content()


def _tag(criterion) -> dict:
    tag = {"ac": criterion.id, "where": "p1 para 1"}
    if criterion.requirements:
        tag["counts"] = {
            r.id: [f"{r.id}-{i}" for i in range(r.min)] for r in criterion.requirements
        }
    if criterion.checklist:
        tag["covers"] = [c.id for c in criterion.checklist]
    return tag


def _note(root: Path, n: int, tags: list[dict], **fields) -> Path:
    head = {
        "title": f"Report {n}",
        "ref": f"E{n:03d}",
        "date": "2026-01-10",
        "learner": "Alex Morgan",
        "type": "report",
        **fields,
        "evidence": tags,
    }
    path = root / "notes" / f"e{n:03d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(head, sort_keys=False)}---\n{_body(tags)}")
    return path


def _body(tags: list[dict]) -> str:
    """A work product long enough for any command verb that names every item it claims."""
    named = [item for tag in tags for items in (tag.get("counts") or {}).values() for item in items]
    words = " ".join(["work"] * 100)
    return f"The work product. {words}\n" + (f"It uses {', '.join(named)}.\n" if named else "")


def ready_portfolio(root: Path, content, pieces: int = 18, **profile) -> Path:
    """Every AC sufficient, spread over ``pieces`` notes, and every gateway field set."""
    root.mkdir(parents=True)
    (root / "companion.yaml").write_text(yaml.safe_dump(PROFILE | profile))
    buckets: list[list[dict]] = [[] for _ in range(pieces)]
    for index, criterion in enumerate(content.criteria):
        buckets[index % pieces].append(_tag(criterion))
    for n, tags in enumerate(buckets, start=1):
        _note(root, n, tags)
    (root / "proposal").mkdir()
    (root / "proposal" / "summary.md").write_text(SUMMARY)
    (root / "reviews").mkdir()
    for date in REVIEWS:
        (root / "reviews" / f"{date}.md").write_text(
            f"---\ntitle: Review\ntype: progress-review\ndate: {date}\n---\nNotes.\n"
        )
    entries = [  # 200 hours in 40 five-hour sessions, a week apart
        f"- date: {dt.date(2025, 9, 8) + dt.timedelta(weeks=n)}\n  hours: 5\n"
        f"  kind: training\n  activity: Workshop {n}\n"
        for n in range(40)
    ]
    (root / "otj.yaml").write_text("".join(entries))
    return root


def _check(root: Path, content) -> dict:
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    items = gateway_check(build_status(portfolio, TODAY), TODAY)
    return {item.id: item for item in items}


def test_a_ready_portfolio_passes_every_item(content, tmp_path: Path) -> None:
    items = _check(ready_portfolio(tmp_path / "p", content), content)
    assert list(items) == [
        "pd-ksbs",
        "portfolio-acs",
        "no-referrals",
        "no-errors",
        "evidence-count",
        "recordings",
        "dated-on-programme",
        "months-on-programme",
        "otj-hours",
        "progress-reviews",
        "english-maths",
        "employer-statement",
        "proposal-summary",
    ]
    assert {i: item.state for i, item in items.items()} == dict.fromkeys(items, PASS)
    assert items["pd-ksbs"].reason == "All 32 have at least 1 piece."
    assert items["portfolio-acs"].reason == "All 46 are sufficient."
    assert items["evidence-count"].reason == "18 pieces."
    assert items["proposal-summary"].reason == "'Repairs scheduling', 9/500 words."
    assert items["otj-hours"].reason == "200 of 200 hours logged."
    assert items["progress-reviews"].reason == (
        "Next progress review due by 2027-01-31, in 70 days (every 3 calendar months; last "
        "on 2026-10-30)."
    )


def test_readiness_is_worked_out_once_per_status(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    status = build_status(portfolio)
    first = readiness(status)
    assert {i.state for i in first} == {PASS}
    (root / "proposal" / "summary.md").unlink()  # the kept items do not read the disk again
    assert readiness(status) is first
    assert readiness(build_status(portfolio))[-1].state == FAIL  # a new status: worked out anew


def test_cli_gateway_exit_status_follows_blocking_items(content, tmp_path: Path, capsys) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    assert main(["gateway", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ready"] is True and len(data["items"]) == 13
    (root / "companion.yaml").write_text(yaml.safe_dump(PROFILE | {"employer_statement": False}))
    assert main(["gateway", str(root)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  Employer's statement recorded" in out
    assert out.rstrip().endswith("not ready: 1 item(s) block gateway")


def test_missing_evidence_fails_ac_and_ksb_items(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content, pieces=46)
    (root / "notes" / "e001.md").unlink()  # the only note for 700/1.1
    items = _check(root, content)
    assert items["portfolio-acs"].state == FAIL
    assert items["portfolio-acs"].reason == "45/46 sufficient; still to do: 700/1.1."
    assert items["pd-ksbs"].state == PASS  # 700/1.1's KSBs are reached by other ACs too
    assert items["evidence-count"].state == WARN
    assert items["evidence-count"].reason.startswith("45 pieces, more than the typical 18")


def test_a_pd_ksb_without_evidence_is_named(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content, pieces=46)
    reaching = [c.id for c in content.criteria if "B5" in c.ksbs]
    for path in (root / "notes").iterdir():
        if any(ac in path.read_text() for ac in reaching):
            path.unlink()
    item = _check(root, content)["pd-ksbs"]
    # S18 is reached only by the ACs that reach B5, so it goes with it.
    assert item.state == FAIL and item.reason == "30/32 have evidence; none yet for S18, B5."


def test_fewer_pieces_than_typical_warns_but_does_not_block(content, tmp_path) -> None:
    items = _check(ready_portfolio(tmp_path / "p", content, pieces=17), content)
    assert items["evidence-count"].state == WARN
    assert items["evidence-count"].reason == (
        "17 pieces, fewer than the typical 18; check each KSB is well covered."
    )
    assert blocking(list(items.values())) == []


def test_an_error_flag_blocks(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    _note(root, 99, [{"ac": "700/1.1", "where": "p1"}], learner="")
    item = _check(root, content)["no-errors"]
    assert item.state == FAIL and item.reason == (
        "1 error(s) in 1 note(s): notes/e099.md. See Flags."
    )


@pytest.mark.parametrize(
    ("duration", "state", "reason"),
    [
        ("4:59", PASS, "All 1 are within the limit."),
        ("5:00", PASS, "All 1 are within the limit."),
        ("5:01", FAIL, "Too long: notes/e099.md (5:01)."),
        (None, FAIL, "No duration given for notes/e099.md (recording: duration: m:ss)."),
        # the template's blank duration is not a length that passes
        ("0:00", FAIL, "No duration given for notes/e099.md (recording: duration: m:ss)."),
        (".inf", FAIL, "No duration given for notes/e099.md (recording: duration: m:ss)."),
    ],
)
def test_recordings_at_most_five_minutes(content, tmp_path, duration, state, reason) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    recording = {"introduction": True} | ({"duration": duration} if duration else {})
    _note(root, 99, [{"ac": "700/1.1", "where": "01:10"}], type="recording", recording=recording)
    item = _check(root, content)["recordings"]
    assert (item.state, item.reason) == (state, reason)


def test_evidence_dated_outside_the_programme_fails(content, tmp_path: Path) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    _note(root, 98, [{"ac": "700/1.1", "where": "p1"}], date="2025-08-31")
    _note(root, 99, [{"ac": "700/1.1", "where": "p1"}], date="not a date")
    item = _check(root, content)["dated-on-programme"]
    assert item.state == FAIL
    assert item.reason == (
        "Outside 2025-09-01 to 2026-11-22: notes/e098.md (2025-08-31); "
        "no valid date: notes/e099.md."
    )


@pytest.mark.parametrize(
    ("start", "gateway", "state"),
    [
        ("2025-09-01", "2026-09-01", PASS),
        ("2025-09-01", "2026-08-31", FAIL),
        ("2025-09-01", None, FAIL),
    ],
)
def test_twelve_months_on_programme(content, tmp_path, start, gateway, state) -> None:
    root = ready_portfolio(tmp_path / "p", content, programme_start=start, planned_gateway=gateway)
    item = _check(root, content)["months-on-programme"]
    assert item.state == state
    if gateway == "2026-08-31":
        assert item.reason == (
            "Planned gateway 2026-08-31 is before 2026-09-01, 12 months after "
            "the start on 2025-09-01."
        )


@pytest.mark.parametrize("field", ["english_maths_level2", "employer_statement"])
def test_profile_confirmations(content, tmp_path: Path, field: str) -> None:
    root = ready_portfolio(tmp_path / "p", content, **{field: False})
    items = _check(root, content)
    item = items["english-maths" if field == "english_maths_level2" else "employer-statement"]
    assert item.state == FAIL and field in item.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (None, "No summary at proposal/summary.md; plan it with 'companion proposal'."),
        (
            "---\ntype: proposal-summary\n---\n## Scope and KPIs\n\nAll.\n",
            "The summary has no title.",
        ),
        ("---\ntitle: T\n---\n" + "word " * 501, "501 words, over the 500-word limit."),
        (
            "---\ntitle: [broken\n---\n",
            "summary.md: the front matter is not valid YAML at line 3: "
            "did not find expected ',' or ']'",
        ),
    ],
)
def test_proposal_summary_item(content, tmp_path: Path, text, reason) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    path = root / "proposal" / "summary.md"
    if text is None:
        path.unlink()
    else:
        path.write_text(text)
    item = _check(root, content)["proposal-summary"]
    assert (item.state, item.reason) == (FAIL, reason)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 9, 1), 12) == dt.date(2026, 9, 1)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
