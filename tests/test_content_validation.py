"""Every validation rule of the content loader, each with the message a content author sees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from known import present

from companion.cli.main import main
from companion.content.bundled import bundled_content_dir
from companion.content.ids import UnknownCriterion, normalise_ac_id, require_terms
from companion.content.load import load_content, load_digest
from companion.content.problems import ContentError


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return [str(p) for p in caught.value.problems]


def test_second_framework_loads_from_its_own_folder(nos_copy: Path) -> None:
    content = load_content(nos_copy)
    assert content.standard.id == "NOS-ML"
    assert [u.id for u in content.units] == ["A1", "A2", "B5"]
    assert [c.id for c in content.criteria] == ["A1/1.1", "A1/1.2", "A2/1.1", "B5/1.1"]
    assert present(content.criterion("A1/1.1")).requirements[0].min == 2
    assert [c.id for c in present(content.criterion("A1/1.2")).checklist] == ["manager", "team"]


def test_loose_ac_spellings_normalise_for_any_framework(nos_copy: Path) -> None:
    content = load_content(nos_copy)
    for given in (content, load_digest(nos_copy)):  # the model and the digest alike
        assert normalise_ac_id(given, "a1 ac1.2") == "A1/1.2"
        assert normalise_ac_id(given, "B5/1.1") == "B5/1.1"
        assert normalise_ac_id(given, "B5/9.9") is None
        assert normalise_ac_id(given, "nonsense") is None
        assert require_terms(given, "A1 1.2").checklist == ("manager", "team")
        with pytest.raises(UnknownCriterion, match=r"'Z9 1.1' is not .* \(try e.g. A1/1.1\)"):
            require_terms(given, "Z9 1.1")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "units/A1.yaml",
            "title: Manage your own resources\n",
            "",
            "A1.yaml:1: missing required field 'title'",
        ),
        (
            "units/A1.yaml",
            "glh: 20",
            "glh: twenty",
            "A1.yaml:4: 'glh' must be a whole number, not text",
        ),
        ("units/A1.yaml", "min: 2", "min: 0", "A1.yaml:17: requirement 'min' must be at least 1"),
        (
            "units/A1.yaml",
            "min: 2",
            "min: two",
            "A1.yaml:17: 'requirement.min' must be a whole number, not text",
        ),
        ("units/A1.yaml", "id: A1/1.2", "id: A1/1.1", "duplicate criterion id 'A1/1.1'"),
        (
            "units/A1.yaml",
            "id: A1/1.2",
            "id: A1-1.2",
            "criterion id 'A1-1.2' is not of the form 'A1/<outcome>.<n>'",
        ),
        (
            "units/A1.yaml",
            "id: A1/1.2",
            "id: A2/1.2",
            "criterion id 'A2/1.2' does not belong to unit 'A1' learning outcome '1'",
        ),
        ("units/A1.yaml", "ksbs: [K1]", "ksbs: [K99]", "A1/1.1 names unknown KSB 'K99'"),
        (
            "units/A1.yaml",
            "ksbs: [K1, B1]",
            "ksbs: [K1]",
            "unit A1 KSB list does not match its ACs' KSBs: named by an AC but not listed B1",
        ),
        (
            "units/A1.yaml",
            "ksbs: [K1, B1]",
            "ksbs: [K1, B1, S1]",
            "unit A1 KSB list does not match its ACs' KSBs: listed but no AC names S1",
        ),
        (
            "units/A1.yaml",
            "id: A1\n",
            "id: A7\n",
            "unit id 'A7' does not match file name 'A1.yaml'",
        ),
        (
            "units/A1.yaml",
            "        verb: Identify\n",
            "        verb: Identify\n        verb: Name\n",
            "A1.yaml:12: duplicate key 'verb'",
        ),
        ("units/A1.yaml", "learning_outcomes:", "learning_outcomes: [", "A1.yaml:7: invalid YAML"),
        (
            "units/A1.yaml",
            "{id: manager,",
            "{id: team,",
            "duplicate checklist item (in A1/1.2) id 'team'",
        ),
        (
            "units/B5.yaml",
            "glh: 20",
            "glh: 25",
            "units' GLH add up to 65, but the qualification's GLH is 60",
        ),
        (
            "standard.yaml",
            "{id: K1, kind: knowledge",
            "{id: S1, kind: knowledge",
            "duplicate KSB id 'S1'",
        ),
        (
            "standard.yaml",
            "{id: B1, kind: behaviour",
            "{id: B1, kind: attitude",
            "ksb kind must be one of knowledge, skill, behaviour",
        ),
        (
            "standard.yaml",
            "ksbs: [K1, S1, B1]}",
            "ksbs: [K1, S1, B9]}",
            "duty D1 names unknown KSB 'B9'",
        ),
        (
            "standard.yaml",
            "ksbs: [S2]\nqualification",
            "ksbs: [S3]\nqualification",
            "grouping 'providing-direction' names unknown KSB 'S3'",
        ),
        (
            "standard.yaml",
            "units: [B5]",
            "units: [B6]",
            "grouping 'providing-direction' names unknown unit 'B6'",
        ),
        (
            "standard.yaml",
            "  - {id: S2, kind: skill, text: Provide direction and support to a team.}\n",
            "  - {id: S2, kind: skill, text: Provide direction and support to a team.}\n"
            "  - {id: S3, kind: skill, text: Unused.}\n",
            "KSB S3 is not reached by any AC",
        ),
        ("standard.yaml", "id: NOS-ML\n", "", "standard.yaml:5: missing required field 'id'"),
    ],
)
def test_each_validation_error_names_file_line_and_problem(
    nos_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(nos_copy / file, old, new)
    problems = _problems(nos_copy)
    assert any(expected in p for p in problems), problems


def test_unknown_grouping_and_descriptor(nos_copy: Path) -> None:
    _edit(
        nos_copy / "units/A2.yaml",
        "ksbs: [S1]\nlearning",
        "grouping: nowhere\nksbs: [S1]\nlearning",
    )
    _edit(
        nos_copy / "units/B5.yaml",
        "ksbs: [S2]\n        depth",
        "ksbs: [S2]\n        pass_descriptor: B5-PD1\n        depth",
    )
    problems = _problems(nos_copy)
    assert any("unit A2 names unknown grouping 'nowhere'" in p for p in problems)
    assert any("B5/1.1 names unknown pass descriptor 'B5-PD1'" in p for p in problems)


def test_missing_folder_and_missing_standard(tmp_path: Path) -> None:
    assert _problems(tmp_path / "absent") == [f"{tmp_path / 'absent'}: content folder not found"]
    (tmp_path / "empty").mkdir()
    assert _problems(tmp_path / "empty") == [
        f"{tmp_path / 'empty' / 'standard.yaml'}: missing standard.yaml"
    ]


def test_non_utf8_and_wrong_top_level_type(nos_copy: Path) -> None:
    (nos_copy / "units/A2.yaml").write_bytes(b"id: A2\ntitle: caf\xe9\n")
    (nos_copy / "units/B5.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    problems = _problems(nos_copy)
    assert any("A2.yaml: not UTF-8 text (byte 17)" in p for p in problems), problems
    assert any("B5.yaml:1: a unit file must be a mapping" in p for p in problems), problems


def test_cli_check_reports_problems_without_traceback(
    nos_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(nos_copy / "units/A1.yaml", "glh: 20", "glh: [20]")
    assert main(["content", "check", "--content", str(nos_copy)]) == 1
    err = capsys.readouterr().err
    assert "A1.yaml:4: 'glh' must be a whole number, not a list" in err
    assert "content has 1 problem" in err
    assert "Traceback" not in err


def test_cli_check_summarises_second_framework(
    nos_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "check", "--content", str(nos_copy)]) == 0
    out = capsys.readouterr().out
    assert "units: 3" in out
    assert "assessment criteria: 4" in out
    assert "KSBs: 4 (1 knowledge, 2 skill, 1 behaviour)" in out
    assert out.strip().endswith("content OK")


def test_cli_show_unknown_ac(nos_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "show", "Z9 1.1", "--content", str(nos_copy)]) == 2
    assert "'Z9 1.1' is not an assessment criterion" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "units/A1.yaml",
            "{id: manager, label: Feedback from their manager}",
            "{id: manager, label: Feedback from their manager, their peers}",
            "A1.yaml:25: unknown key 'their peers' in an item of 'checklist' (it takes: id, label);"
            " an unquoted comma in a {flow} mapping splits the text there: put the value in quotes",
        ),
        (
            "units/A1.yaml",
            "        verb: Identify\n",
            "        verb: Identify\n        verbs: Name\n",
            "A1.yaml:12: unknown key 'verbs' in an item of 'criteria'",
        ),
        ("units/A1.yaml", "glh: 20\n", "glh: 20\nhours: 20\n", "A1.yaml:5: unknown key 'hours'"),
        (
            "standard.yaml",
            "level: 5\n",
            "level: 5\nlevle: 5\n",
            "standard.yaml:8: unknown key 'levle' in standard.yaml",
        ),
        (
            "standard.yaml",
            "  glh: 60",
            "  glh: 60\n  gl: 6",
            "unknown key 'gl' in qualification",
        ),
    ],
)
def test_an_unknown_key_is_an_error_naming_file_and_line(
    nos_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(nos_copy / file, old, new)
    problems = _problems(nos_copy)
    assert any(expected in p for p in problems), problems


def test_source_and_note_are_allowed_on_any_mapping(nos_copy: Path) -> None:
    _edit(
        nos_copy / "units/A1.yaml",
        "{id: manager, label: Feedback from their manager}",
        "{id: manager, label: Feedback from their manager, source: seed, note: ok}",
    )
    assert present(load_content(nos_copy).criterion("A1/1.2")).checklist[0].label == (
        "Feedback from their manager"
    )


def test_the_bundled_labels_once_cut_at_a_comma_are_whole() -> None:
    content = load_content()
    labels = {(c.id, item.id): item.label for c in content.criteria for item in c.checklist}
    assert labels[("700/1.4", "team-engagement")].endswith(
        "in order to develop high performance, agile and collaborative cultures"
    )
    assert labels[("704/2.1", "style-formality-clarity")].endswith(
        ", and clarity of thought and message"
    )
    assert labels[("704/2.1", "audience-understanding")].endswith(", and engagement")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rules:\n  - {id: headr, text: x}\n",
            "unknown evidence rule 'headr' (known: claims, confidentiality, depth, header,",
        ),
        ("rules:\n  - {id: depth, text: x}\n", "evidence rule 'depth' needs 'words'"),
        (
            "rules:\n  - {id: header, text: x, words: {Explain: 40}}\n",
            "evidence rule 'header' takes no 'words'",
        ),
        (
            "rules:\n  - {id: depth, text: x, words: {Explain: 0, Evaluate: 75}}\n",
            "'words.Explain' must be a whole number of words above 0",
        ),
        (
            "rules:\n  - {id: header, text: x, fields: [ref, author]}\n",
            "evidence rule 'header' names unknown fields author (known: ref, date, learner)",
        ),
        ("types: []\nrule:\n  - {id: header}\n", "evidence.yaml:2: unknown key 'rule'"),
    ],
)
def test_evidence_rules_are_checked(nos_copy: Path, text: str, expected: str) -> None:
    (nos_copy / "evidence.yaml").write_text("types: []\n" * ("types" not in text) + text)
    problems = _problems(nos_copy)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("gateway", "expected"),
    [
        ("gateway:\n  checks:\n    - id: pd-ksb\n", "unknown gateway check 'pd-ksb'"),
        (
            "gateway:\n  checks:\n    - id: recordings\n",
            "gateway check 'recordings' needs the EPA fact 'recording-max-minutes'",
        ),
        ("gateway:\n  check: []\n", "unknown key 'check' in gateway"),
    ],
)
def test_gateway_checks_are_checked(nos_copy: Path, gateway: str, expected: str) -> None:
    with open(nos_copy / "standard.yaml", "a", encoding="utf-8") as handle:
        handle.write(gateway)
    problems = _problems(nos_copy)
    assert any(expected in p for p in problems), problems


def test_the_schema_names_exactly_the_checks_the_app_runs() -> None:
    from companion.assessment.gateway import CHECKS
    from companion.assessment.rules import RULE_FAMILIES
    from companion.content.schema import EVIDENCE_RULES, GATEWAY_CHECKS

    assert set(RULE_FAMILIES) == set(EVIDENCE_RULES)
    assert set(CHECKS) == set(GATEWAY_CHECKS)


def test_a_date_that_is_not_real_is_a_problem_not_a_crash(nos_copy: Path) -> None:
    path = nos_copy / "standard.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "revision: 2025-02-30\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(nos_copy)
    assert "invalid YAML: '2025-02-30' is not a real date" in str(caught.value)


def test_a_standard_version_needs_its_source(tmp_path: Path) -> None:
    content_copy = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), content_copy, ignore=shutil.ignore_patterns("__*"))
    path = content_copy / "standard.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    url: https://www.instituteforapprenticeships.org/apprenticeship-standards/senior-leader-v1-2\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, ""), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert "missing required field 'version.source.url'" in str(caught.value)


def test_content_check_shows_the_version_the_content_follows(capsys) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert "standard version: 1.2 (ST0480 v1.2" in out
    assert "senior-leader-v1-2" in out
    assert "V1.1 (draft)" not in out
