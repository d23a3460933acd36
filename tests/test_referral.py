"""A tutor's Referral, once imported, changes what the apprentice sees: the AC is shown as
referred in the Units tree, the AC pane, ``companion status``, the dashboard and the Evidence
Matrix, and gateway waits until a newer feedback decides it again."""

from __future__ import annotations

import json
from pathlib import Path

from known import present
from pilot_support import companion_app, wait_for
from rich.text import Text
from test_gateway import ready_portfolio
from textual.content import Content
from textual.widgets import Markdown, Static, Tree

from companion.cli.main import main
from companion.content.load import load_content
from companion.ui.app import make_app

WORDS = "Only GROW is evaluated.\nCompare it with OSCAR and say which suits your team."
HOSTILE = "[bold]loud[/bold] [@click=app.quit]quit[/] \x1b]0;owned\x07 \x1b[2J done"


def feedback_file(
    folder: Path,
    generated: str,
    decisions: dict[str, str],
    text: str = WORDS,
    assessor: str = "Dr R. Shah",
) -> Path:
    """A tutor's feedback on Alex Morgan's export made at ``generated``."""
    day = generated[:10]
    data = {
        "schema": "companion.feedback/1",
        "learner": "Alex Morgan",
        "export": {"file": "alex.json", "generated": generated, "sha256": ""},
        "assessor": assessor,
        "updated": f"{day}T12:00:00+00:00",
        "criteria": {
            ac: {"decision": decision, "feedback": text, "date": day}
            for ac, decision in decisions.items()
        },
    }
    path = folder / f"alex-{generated[:10]}.feedback.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def imported(root: Path, generated: str, decisions: dict[str, str], **kwargs: str) -> None:
    """Import a feedback file into the portfolio as the apprentice would."""
    source = feedback_file(root.parent, generated, decisions, **kwargs)
    assert main(["feedback", "import", str(source), str(root)]) == 0


def test_status_json_and_text_show_the_referred_ac(example: Path, capsys) -> None:
    assert main(["status", str(example), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert before["referred"] == [] and before["summary"]["referred"] == 0
    imported(example, "2026-11-20T10:00:00+00:00", {"700/1.3": "referral", "700/1.1": "pass"})
    capsys.readouterr()
    assert main(["status", str(example), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["referred"] == ["700/1.3"]
    assert data["summary"]["referred"] == 1
    assert data["summary"]["sufficient"] == before["summary"]["sufficient"]  # as computed
    criteria = {c["id"]: c for unit in data["units"] for c in unit["criteria"]}
    assert criteria["700/1.3"]["status"] == "sufficient"  # the evidence is still sufficient
    assert (criteria["700/1.3"]["decision"], criteria["700/1.3"]["referred"]) == (
        "referral",
        True,
    )
    assert (criteria["700/1.1"]["decision"], criteria["700/1.1"]["referred"]) == ("pass", False)
    assert criteria["700/1.2"]["decision"] == "not-assessed"
    assert main(["status", str(example)]) == 0
    text = capsys.readouterr().out
    assert "Referred: 700/1.3 — see the tutor's feedback" in text
    assert (
        "  700/1.3 Referred by Dr R. Shah on 2026-11-20: Only GROW is evaluated. Compare it "
        "with OSCAR and say which suits your team." in text
    )


def test_gateway_waits_on_a_referral_until_a_newer_feedback_decides_again(
    tmp_path: Path, capsys
) -> None:
    root = ready_portfolio(tmp_path / "p", load_content())
    assert main(["gateway", str(root)]) == 0
    imported(root, "2026-11-20T10:00:00+00:00", {"700/1.1": "referral", "701/1.1": "referral"})
    capsys.readouterr()
    assert main(["gateway", str(root), "--json"]) == 1
    items = {i["id"]: i for i in json.loads(capsys.readouterr().out)["items"]}
    assert items["portfolio-acs"]["state"] == "pass"  # every AC is still sufficient
    item = items["no-referrals"]
    assert (item["state"], item["blocks"]) == ("fail", True)
    assert item["reason"].startswith("Referred: 700/1.1, 701/1.1.")
    # feedback on an older export does not outweigh the newest
    imported(root, "2026-10-01T10:00:00+00:00", {"700/1.1": "pass", "701/1.1": "pass"})
    capsys.readouterr()
    assert main(["gateway", str(root)]) == 1
    assert "FAIL  No AC is referred in the tutor's newest feedback" in capsys.readouterr().out
    # a newer feedback decides both again: one Pass, one not yet assessed
    imported(root, "2026-12-01T10:00:00+00:00", {"700/1.1": "pass", "701/1.1": "not-assessed"})
    capsys.readouterr()
    assert main(["gateway", str(root), "--json"]) == 0
    items = {i["id"]: i for i in json.loads(capsys.readouterr().out)["items"]}
    assert (items["no-referrals"]["state"], items["no-referrals"]["reason"]) == (
        "pass",
        "No AC is referred.",
    )


def test_the_evidence_matrix_marks_a_referred_ac(example: Path, tmp_path: Path) -> None:
    imported(example, "2026-11-20T10:00:00+00:00", {"700/1.3": "referral", "700/1.1": "pass"})
    out = tmp_path / "matrix.md"
    assert main(["export", "matrix", str(example), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "AC1.3 — REFERRED (Dr R. Shah, 2026-11-20)" in text
    assert "AC1.1 — REFERRED" not in text
    assert (
        "referred in the tutor's newest feedback and need more work before gateway: 700/1.3."
        in (text.replace("\n", " "))
    )


async def test_the_dashboard_lists_the_referred_acs_by_id(example: Path) -> None:
    imported(example, "2026-11-20T10:00:00+00:00", {"700/1.3": "referral", "702/2.1": "referral"})
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: companion_app(pilot).status is not None)
        line = pilot.app.screen.query_one("#referred", Static)
        await wait_for(pilot, lambda: line.display)
        await pilot.pause()
        assert str(line.content) == (
            "Referred: 700/1.3, 702/2.1 — see the tutor's feedback (press u)"
        )
        assert line.region.bottom <= 24  # on the first screen at 80x24


async def _units_at(pilot, ac_downs: int, ac: str) -> Tree:
    """Open Units, expand unit 700 and move down to its ``ac_downs``-th row, ``ac``, by keys."""
    await wait_for(pilot, lambda: pilot.app.status is not None)
    await pilot.pause()
    await pilot.press("u")
    await pilot.pause()
    tree = pilot.app.screen.query_one(Tree)
    assert tree.has_focus
    await pilot.press("enter", *["down"] * ac_downs)  # unit 700, LO1, AC1.1, …
    await wait_for(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data == ac)
    await pilot.pause()
    return tree


async def test_units_mark_and_ac_pane_show_the_referral(example: Path) -> None:
    imported(example, "2026-11-20T10:00:00+00:00", {"700/1.3": "referral", "700/1.1": "pass"})
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        tree = await _units_at(pilot, 4, "700/1.3")  # LO1, AC1.1, AC1.2, AC1.3
        labels = {n.data: str(n.label) for n in present(present(tree.cursor_node).parent).children}
        assert labels["700/1.3"].startswith("R AC1.3 ")
        assert labels["700/1.1"].startswith("✔ AC1.1 ")  # a Pass shows its sufficiency
        assert labels["700/1.2"].startswith("◐ AC1.2 ")
        legend = pilot.app.screen.query_one("#unit-legend", Static)
        assert "R referred" in str(legend.content) and legend.region.bottom <= 23
        banner = pilot.app.screen.query_one("#ac-referral", Static)
        assert banner.display
        shown = str(banner.content)
        assert shown.splitlines()[0] == "Referred by Dr R. Shah on 2026-11-20"
        assert shown.splitlines()[1:] == WORDS.splitlines()
        assert banner.region.y <= 3  # at the top of the pane
        detail = pilot.app.screen.query_one("#ac-detail", Markdown)
        assert "status: **referred** (evidence: sufficient)" in detail.source
        await pilot.press("up", "up")  # AC1.1: passed, no banner
        await wait_for(
            pilot, lambda: present(tree.cursor_node).data == "700/1.1" and not banner.display
        )
        assert "status: **sufficient**" in detail.source


async def test_hostile_feedback_is_shown_as_plain_text(example: Path, capsys) -> None:
    imported(example, "2026-11-20T10:00:00+00:00", {"700/1.3": "referral"}, text=HOSTILE)
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        await _units_at(pilot, 4, "700/1.3")
        banner = pilot.app.screen.query_one("#ac-referral", Static)
        shown = banner.content
        assert isinstance(shown, Text | Content)
        assert shown.plain.splitlines()[1] == (
            "[bold]loud[/bold] [@click=app.quit]quit[/] \\u001b]0;owned\\u0007 \\u001b[2J done"
        )
        assert not shown.spans[1:]  # only the headline is styled; the words are not markup
        assert pilot.app.is_running  # no markup action ran
    capsys.readouterr()
    assert main(["status", str(example)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\u001b]0;owned" in out
