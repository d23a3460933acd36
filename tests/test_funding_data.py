"""funding.yaml: every rule sourced, and every mistake a problem with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from companion.cli.main import main
from companion.content.bundled import bundled_content_dir
from companion.content.load import load_content
from companion.content.problems import ContentError


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_every_rule_has_a_source_and_every_unsourced_one_says_why(content) -> None:
    assert content.funding is not None
    for rule in content.funding.rules:
        assert rule.source.document and rule.source.kind, rule.id
        assert rule.source.quote, rule.id
        if rule.unsourced:
            assert rule.why, rule.id


# --- funding.yaml is read strictly ------------------------------------------------------


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), target, ignore=shutil.ignore_patterns("__*"))
    return target


def _problems(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return str(caught.value)


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "funding.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line(folder: Path, needle: str) -> int:
    lines = (folder / "funding.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_an_unknown_key_names_file_and_line(content_copy: Path) -> None:
    _edit(
        content_copy,
        "  keyed_on: programme_start\n  applies_from: 2022-08-01\n  applies_to: 2025-07-31\n  otj:",
        "  keyed_on: programme_start\n  applies_from: 2022-08-01\n  applies_to: 2025-07-31\n  weekly: 6\n  otj:",
    )
    line = _line(content_copy, "  weekly: 6")
    assert f"funding.yaml:{line}: unknown key 'weekly' in a 'otj-minimum' rule" in _problems(
        content_copy
    )


def test_overlapping_dates_in_one_topic_are_refused(content_copy: Path) -> None:
    _edit(
        content_copy,
        "  applies_from: 2022-08-01\n  applies_to: 2025-07-31\n  otj:",
        "  applies_from: 2022-07-01\n  applies_to: 2025-07-31\n  otj:",
    )
    problems = _problems(content_copy)
    assert (
        "rule otj-minimum-6-hours-per-week (2022-07-01 to 2025-07-31) overlaps rule "
        "otj-minimum-20-percent (up to 2022-07-31); rules of one topic must not overlap"
    ) in problems


def test_a_date_that_is_not_real_is_a_problem_on_its_line(content_copy: Path) -> None:
    _edit(
        content_copy,
        "  applies_to: 2023-07-31\n  review_interval:",
        "  applies_to: 2023-02-30\n  review_interval:",
    )
    line = _line(content_copy, "2023-02-30")
    assert f"funding.yaml:{line}: invalid YAML: '2023-02-30' is not a real date" in _problems(
        content_copy
    )


def test_an_interval_example_must_agree_with_the_interval(content_copy: Path) -> None:
    _edit(content_copy, "      next_due: 2025-11-30", "      next_due: 2025-11-01")
    assert (
        "'review_interval.example' says 2025-08-01 is next due 2025-11-01, but the interval "
        "gives 2025-11-30"
    ) in _problems(content_copy)


def test_a_rule_without_a_source_or_an_unsourced_rule_without_why(content_copy: Path) -> None:
    data = yaml.safe_load((content_copy / "funding.yaml").read_text(encoding="utf-8"))
    rule = data["rules"][0]
    rule.pop("source")
    rule.pop("why")
    (content_copy / "funding.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    problems = _problems(content_copy)
    assert "rule otj-minimum-20-percent has no 'source'" in problems
    assert "missing required field 'rule.why'" in problems


def test_an_unconfirmed_rule_must_say_why_and_what_it_carries(content_copy: Path) -> None:
    _edit(content_copy, "  carried_from: progress-review-3-calendar-months\n", "")
    problems = _problems(content_copy)
    assert "missing required field 'rule.carried_from'" in problems


def test_an_unconfirmed_rule_carries_the_earlier_value_unchanged(content_copy: Path) -> None:
    _edit(
        content_copy,
        "  review_interval:\n    calendar_months: 3\n    due: end-of-month\n    counting: as in",
        "  review_interval:\n    calendar_months: 2\n    due: end-of-month\n    counting: as in",
    )
    assert (
        "rule progress-review-2026-27 is not confirmed, so its values must be those of "
        "progress-review-3-calendar-months, which it says it carries"
    ) in _problems(content_copy)


def test_an_unconfirmed_rule_carries_from_an_earlier_rule_of_its_topic(
    content_copy: Path,
) -> None:
    _edit(
        content_copy,
        "  carried_from: progress-review-3-calendar-months\n",
        "  carried_from: otj-minimum-published-per-standard\n",
    )
    assert (
        "rule progress-review-2026-27 is carried from 'otj-minimum-published-per-standard', "
        "which is not a 'progress-review' rule"
    ) in _problems(content_copy)


def test_the_2025_to_2026_rules_no_longer_run_open_ended(content_copy: Path) -> None:
    _edit(
        content_copy,
        "  applies_from: 2025-08-01\n  applies_to: 2026-07-31\n  rules_year: 2025 to 2026\n  otj:",
        "  applies_from: 2025-08-01\n  applies_to: null\n  rules_year: 2025 to 2026\n  otj:",
    )
    problems = _problems(content_copy)
    assert "rule otj-minimum-2026-27 (from 2026-08-01) overlaps rule" in problems
    assert "is carried from a later rule" in problems


def test_a_term_given_twice_is_refused(content_copy: Path) -> None:
    _edit(
        content_copy,
        "  - word: gateway\n    reformed: gateway to completion\n",
        "  - word: gateway\n    reformed: gateway to completion\n"
        "  - word: gateway\n    reformed: completion gateway\n",
    )
    assert "term 'gateway' is given twice" in _problems(content_copy)


def test_a_kind_must_fall_under_an_item_the_rule_lists(content_copy: Path) -> None:
    _edit(content_copy, "    under: learning support\n", "    under: learning supports\n")
    assert "kind 'under' is not an item of 'counts': learning supports" in _problems(content_copy)


def test_a_framework_without_funding_rules_has_none(nos_copy: Path) -> None:
    assert load_content(nos_copy).funding is None


def test_content_check_reports_funding_problems_without_a_traceback(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(content_copy, "  topic: funding-eligibility\n", "  topic: funding\n")
    assert main(["content", "check", "--content", str(content_copy)]) == 1
    captured = capsys.readouterr()
    assert "rule topic must be one of" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err
