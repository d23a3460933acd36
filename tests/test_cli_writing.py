"""``companion cite`` and ``companion words``: what an assessor checks in the writing, from
the command line, with Unix exits."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import RunCli

from companion.cli.main import main

DRAFT = "assignments/701-strategic-leadership-draft.md"


def test_cite_lists_a_notes_citations_and_references_and_exits_0_when_all_match(
    example: Path, run_cli: RunCli
) -> None:
    code, out, _ = run_cli("cite", str(example), DRAFT)
    assert code == 0
    assert out.splitlines() == [
        DRAFT,
        "  citations",
        "      41  (Johnson et al., 2020)        matched  the entry on line 70",
        "      41  (Peters and Waterman, 1982)   matched  the entry on line 73",
        "      55  (Hersey and Blanchard, 1969)  matched  the entry on line 67",
        "  references",
        "      67  Hersey and Blanchard (1969)  cited",
        "      70  Johnson et al. (2020)        cited",
        "      73  Peters and Waterman (1982)   cited",
        "  every citation has its entry",
    ]


def test_cite_names_each_miss_with_its_line_and_exits_1(example: Path, run_cli: RunCli) -> None:
    draft = example / DRAFT
    text = draft.read_text().replace("(Johnson et al., 2020)", "(Johnson et al., 2021)")
    draft.write_text(text + "\nAdair, J. (1973) Action-centred leadership. London: McGraw-Hill.\n")
    code, out, _ = run_cli("cite", str(example), str(draft))
    assert code == 1
    lines = out.splitlines()
    assert (
        "  !   41  (Johnson et al., 2021)        no entry  Johnson has a reference for 2020"
        in lines
    )
    assert "  !   75  Adair (1973)                 not cited" in lines
    assert "  !   70  Johnson et al. (2020)        not cited" in lines
    assert lines[-1] == "  3 problem(s)"  # 2021 unmatched; 2020 and Adair uncited

    code, out, _ = run_cli("cite", str(example), DRAFT, "--json")
    document = json.loads(out)
    assert code == 1 and document["problems"] == 3
    (note,) = document["notes"]
    assert note["citations"][0] == {
        "line": 41,
        "text": "(Johnson et al., 2021)",
        "work": {
            "authors": ["Johnson"],
            "et_al": True,
            "year": "2021",
            "suffix": "",
            "no_date": False,
            "pages": None,
        },
        "secondary": None,
        "narrative": False,
        "result": "unmatched",
        "reference_line": None,
        "hint": "year-differs: Johnson has a reference for 2020",
    }
    assert [r["status"] for r in note["references"]] == ["cited", "uncited", "cited", "uncited"]


def test_cite_over_a_whole_portfolio_and_bad_input(example: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("cite", str(example))
    assert code == 0
    assert out.splitlines()[-1] == "0 problem(s) in 14 notes"  # two of them cards of files
    code, _, err = run_cli("cite", str(example), "notes/none.md")
    assert code == 2
    assert err == f"companion: notes/none.md is not a note of the portfolio {example}\n"


def test_words_prints_the_breakdown_and_the_target(example: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("words", str(example / DRAFT))
    assert code == 0
    assert out.splitlines() == [
        DRAFT,
        "part                     words  counts",
        "body text                  480  yes",
        "headings                    26  yes",
        "tables                       0  yes",
        "captions                     0  yes",
        "block quotes                 0  yes",
        "in-text citations           12  yes",
        "reference list              54  no",
        "appendices and annexes       0  no",
        "front matter                12  no",
        "counted                    518",
        "all parts                  584",
        "unit 701 assignment: target 3000 +/-10%, 2,700–3,300: under",
    ]
    code, out, _ = run_cli("words", str(example / DRAFT), "--json")
    document = json.loads(out)
    assert (document["counted"], document["total"], document["target"]["band"]) == (
        518,
        584,
        "under",
    )


def test_words_follows_the_profiles_setting_and_works_outside_a_portfolio(
    example: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    profile = example / "companion.yaml"
    profile.write_text(
        profile.read_text().replace(
            "word_count:\n", "word_count:\n  leave_out: [references, front-matter, citations]\n"
        )
    )
    _, out, _ = run_cli("words", str(example / DRAFT), "--json")
    assert json.loads(out)["counted"] == 480 + 26
    alone = tmp_path / "draft.md"
    alone.write_text((example / DRAFT).read_text())
    code, out, _ = run_cli("words", str(alone))
    assert code == 0
    assert out.splitlines()[-3:] == [
        "counted                    518",
        "all parts                  584",
        "(no companion.yaml above this note: counted by the default rules)",
    ]
    code, _, err = run_cli("words", str(tmp_path / "missing.md"))
    assert (code, err) == (2, f"companion: {tmp_path / 'missing.md'} is not a file\n")


def test_status_says_what_the_assignment_count_leaves_out(example: Path, run_cli: RunCli) -> None:
    _, out, _ = run_cli("status", str(example))
    lines = out.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("unit 701 assignment"))
    assert lines[index].startswith("unit 701 assignment: 518 words (target 2,700–3,300): under")
    assert lines[index + 1] == "  not counted: reference list 54, front matter 12"


def test_links_lists_links_and_backlinks_and_check_warns_of_a_broken_one(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "linked"
    (root / "notes" / "sub").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (root / "notes" / "plan.md").write_text(
        "---\ntitle: Coaching plan\n---\nSee [[Log|the log]], [[sub/minutes#Item 4]],\n"
        "[up](../notes/sub/minutes.md), `[[not a link]]` and [[Nowhere]].\n"
    )
    (root / "notes" / "log.md").write_text("---\ntitle: Log\n---\nLog.\n")
    (root / "notes" / "sub" / "minutes.md").write_text("---\ntitle: Minutes\n---\n[[PLAN]]\n")
    code, out, _ = run_cli("links", str(root), "notes/plan.md")
    assert code == 1
    assert out.splitlines() == [
        "notes/plan.md",
        "  links",
        "       4  [[Log|the log]]  → notes/log.md  Log",
        "       4  [[sub/minutes#Item 4]]  → notes/sub/minutes.md  Minutes",
        "       5  [up](../notes/sub/minutes.md)  → notes/sub/minutes.md  Minutes",
        "  !    5  [[Nowhere]]  → no such note",
        "  linked from",
        "   notes/sub/minutes.md:4  Minutes",
    ]
    code, out, _ = run_cli("links", str(root), "notes/log.md", "--json")
    assert code == 0
    assert json.loads(out)["notes"][0]["backlinks"] == [
        {"note": "notes/plan.md", "title": "Coaching plan", "line": 4, "text": "[[Log|the log]]"}
    ]
    code, out, _ = run_cli("check", str(root))
    assert (
        "WARNING notes/plan.md: [broken-link] Line 5: [[Nowhere]] links to a note that does "
        "not exist." in out.splitlines()
    )


def test_none_of_the_writing_and_finding_commands_changes_a_note(example: Path, capsys) -> None:
    before = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    for argv in (
        ["cite", str(example)],
        ["cite", str(example), DRAFT, "--json"],
        ["words", str(example / DRAFT)],
        ["links", str(example), "--json"],
        ["search", str(example), "Schein"],
        ["search", str(example), "cultur*", "--json"],
        ["notes", str(example), "--where", "type=minutes", "--csv"],
    ):
        main(argv)
    capsys.readouterr()
    after = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    assert after == before


def test_the_summary_is_said_to_be_up_to_its_cap_not_from_zero(capsys) -> None:
    from companion.text.counted import word_band

    assert word_band(0, 500) == "up to 500"
    assert word_band(2700, 3300) == "2,700–3,300"
