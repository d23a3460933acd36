"""Any qualification as data: the ILM Level 7 Award and the NOS load, track and check with
only what their folders say, next to the Diploma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import RunCli
from docx import Document
from known import present
from openpyxl import load_workbook
from pilot_support import wait_for

from companion.content.bundled import FRAMEWORKS, framework_dir
from companion.content.load import load_content

REFLECTIVE = (
    "On reflection, I realise my first response to the team's resistance was to push harder. "
    "Looking back, I think listening first would have brought them with me sooner.\n"
)


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_every_bundled_framework_passes_content_check(run_cli: RunCli, framework: str) -> None:
    code, out, err = run_cli("content", "check", "--framework", framework)
    assert code == 0, err
    assert out.strip().endswith("content OK")


def test_content_list_names_each_framework(run_cli: RunCli) -> None:
    code, out, _ = run_cli("content", "list")
    assert code == 0
    assert out.splitlines() == [
        "diploma-8431   City & Guilds Level 7 Diploma for Senior Leaders: 7 units, 46 ACs  "
        "(default)",
        "ilm-8617       Level 7 Award in Leadership and Management: 1 unit, 1 AC",
        "nos-2008       National Occupational Standards in Management and Leadership: "
        "56 units, 0 ACs",
    ]


def test_the_nos_levels_and_units_are_as_the_source_prints_them() -> None:
    content = load_content(framework_dir("nos-2008"))
    assert [lv.id for lv in content.standard.levels] == ["L2", "L3", "L4", "L5"]
    assert [(lv.mandatory, lv.optional) for lv in content.standard.levels] == [
        (4, 2),
        (4, 3),
        (5, 3),
        (4, 3),
    ]
    assert present(content.level("L3")).rule_text == "L3 requires 4 mandatory + 3 optional units"
    units = {u.id: u for u in content.units}
    assert len(units) == 56 and list(units)[:5] == ["A1", "A2", "A3", "B1", "B2"]
    assert units["A1"].levels == {"L2": "mandatory"}
    assert units["A2"].levels == {"L3": "mandatory", "L4": "optional", "L5": "optional"}
    assert units["E5"].title == "Ensure your own action reduce risks to health and safety**"
    assert units["D7"].levels == {lv: "optional" for lv in ("L2", "L3", "L4", "L5")}
    mandatory = {
        lv: sorted(u for u, unit in units.items() if unit.levels.get(lv) == "mandatory")
        for lv in ("L2", "L3", "L4", "L5")
    }
    assert mandatory == {
        "L2": ["A1", "B5", "D1", "E5"],
        "L3": ["A2", "B6", "D6", "E6"],
        "L4": ["B1", "C2", "D2", "E6", "F3"],
        "L5": ["B7", "C3", "E7", "F12"],
    }
    assert not content.has_gateway and not content.has_ksbs and content.evidence_rules == ()


def test_the_award_marks_what_its_source_does_not_give() -> None:
    content = load_content(framework_dir("ilm-8617"))
    (unit,) = content.units
    assert (unit.id, unit.code, unit.glh, unit.credits) == ("703", "8617-703", 15, 10)
    (criterion,) = content.criteria
    assert criterion.placeholder and criterion.text.startswith("Not in the source")
    assert present(content.evidence_type("reflective-account")).allowed
    assert not content.has_gateway and not content.has_ksbs
    assert content.rule("reflective") is None


@pytest.fixture
def award(tmp_path: Path, run_cli: RunCli) -> Path:
    root = tmp_path / "award"
    code, _, err = run_cli(
        "init",
        str(root),
        "--framework",
        "ilm-8617",
        "--learner",
        "Sam Lee",
        "--start",
        "2026-01-05",
    )
    assert code == 0, err
    (root / "notes").mkdir()
    (root / "notes" / "reflection.md").write_text(
        "---\ntitle: Leading the restructure\nref: R001\ndate: 2026-03-01\nlearner: Sam Lee\n"
        "type: reflective-account\n---\n" + REFLECTIVE
    )
    return root


def test_an_award_portfolio_tracks_and_checks_with_its_own_rules(
    award: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    profile = (award / "companion.yaml").read_text()
    assert "framework: ilm-8617\n" in profile
    assert "planned_gateway" not in profile and "english_maths" not in profile
    note = award / "notes" / "reflection.md"
    assert run_cli("tag", str(note), "703/1.1", "--where", "para 1")[0] == 0
    code, out, _ = run_cli("status", str(award), "--json")
    data = json.loads(out)
    assert data["qualification"]["title"] == "Level 7 Award in Leadership and Management"
    assert data["summary"]["criteria"] == 1 and data["summary"]["pd_ksbs_total"] == 0
    assert data["units"][0]["criteria"][0]["status"] == "sufficient"
    code, out, _ = run_cli("check", str(award))
    assert code == 0 and "reads-as-reflective" not in out and "type-not-allowed" not in out
    code, out, _ = run_cli("gateway", str(award))
    assert code == 0
    assert (
        out.strip() == "ILM Level 7 Award in Leadership and Management has no end-point "
        "assessment gateway to check."
    )
    for fmt in ("docx", "xlsx"):
        out_file = tmp_path / f"matrix.{fmt}"
        assert run_cli("export", "matrix", str(award), "--out", str(out_file))[0] == 0
    rows = [c.text for c in Document(str(tmp_path / "matrix.docx")).tables[1].rows[2].cells]
    assert rows[1] == "R001 Leading the restructure, para 1"
    assert load_workbook(tmp_path / "matrix.xlsx").sheetnames == ["Summary", "Unit 703"]
    code, _, err = run_cli("export", "matrix", str(award), "--ksb", "--out", str(tmp_path / "k.md"))
    assert code == 2 and "has no KSBs" in err
    for command in (["otj"], ["reviews"], ["review-pack", "--out", str(tmp_path / "pack.docx")]):
        code, _, err = run_cli(command[0], str(award), *command[1:])
        assert code == 2 and "has no apprenticeship funding rules" in err, command


def test_the_diploma_still_rules_the_same_note_out(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "diploma"
    run_cli("init", str(root), "--learner", "Sam Lee", "--start", "2026-01-05")
    (root / "n.md").write_text(
        "---\ntitle: R\nref: R001\ndate: 2026-03-01\nlearner: Sam Lee\ntype: report\n---\n"
        + REFLECTIVE
    )
    _, out, _ = run_cli("check", str(root))
    assert "reads-as-reflective" in out


def test_a_nos_portfolio_asks_for_a_level_and_checks_the_choice(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "nos"
    assert run_cli("init", str(root), "--framework", "nos-2008", "--learner", "Sam")[0] == 0
    profile = root / "companion.yaml"
    assert "level: \n" in profile.read_text() and "optional_units: []\n" in profile.read_text()
    code, out, _ = run_cli("status", str(root))
    assert "unit choice: choose your level in companion.yaml" in out
    assert run_cli("check", str(root))[0] == 1
    profile.write_text(
        profile.read_text()
        .replace("level: \n", "level: L3\n")
        .replace("optional_units: []", "optional_units: [B11, C2, A1]")
    )
    code, out, _ = run_cli("check", str(root))
    assert code == 1
    assert "unit choice: A1 is not an optional unit at L3" in out
    assert "unit choice: L3 needs 3 optional units: 2 chosen" in out
    profile.write_text(profile.read_text().replace("[B11, C2, A1]", "[B11, C2, D3]"))
    assert run_cli("check", str(root))[0] == 0
    code, out, _ = run_cli("status", str(root), "--json")
    data = json.loads(out)
    assert data["plan"] == {
        "level": "L3",
        "mandatory": ["A2", "B6", "D6", "E6"],
        "optional": ["B11", "C2", "D3"],
        "problems": [],
    }
    assert [u["id"] for u in data["units"]] == ["A2", "B6", "B11", "C2", "D3", "D6", "E6"]
    assert run_cli("gateway", str(root))[0] == 0


def test_an_unknown_framework_in_the_profile_is_one_line(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "companion.yaml").write_text("framework: nope\nlearner: Sam\n")
    code, _, err = run_cli("status", str(root))
    assert code == 2 and "no bundled framework 'nope'" in err
    note = root / "n.md"
    note.write_text("---\ntitle: T\n---\nBody.\n")
    code, _, err = run_cli("tag", str(note), "700/1.1")  # reads only the digest
    assert code == 2 and "no bundled framework 'nope'" in err
    assert note.read_text() == "---\ntitle: T\n---\nBody.\n"
    assert run_cli("init", str(tmp_path / "q"), "--framework", "nope")[0] == 2


async def test_the_app_on_an_award_portfolio_has_no_gateway_screen(award: Path) -> None:
    from textual.widgets import Static

    from companion.screens.dashboard import DashboardScreen
    from companion.ui.app import make_app

    app = make_app(award, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        hidden = ("#gateway-summary", "#ksb-coverage", "#otj-line")  # shown until the status
        await wait_for(
            pilot, lambda: not any(screen.query_one(name, Static).display for name in hidden)
        )
        await pilot.press("g")  # no gateway: the key does nothing
        await pilot.pause()
        assert app.current_mode == "dashboard"
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Gateway" not in commands and "Proposal summary" not in commands
        assert "Off-the-job training and reviews" not in commands
        assert "Units" in commands
        keys = [
            b.key
            for (_, b, enabled, _) in app.screen.active_bindings.values()
            if b.show
            and enabled is not False
            and app.check_action(
                b.action.split("(")[0], (b.action.split("'")[1],) if "'" in b.action else ()
            )
        ]
        assert "g" not in keys and "o" not in keys and "u" in keys
        await pilot.press("u")
        await wait_for(pilot, lambda: app.current_mode == "units")
