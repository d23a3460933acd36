"""An AC explained in Markdown: what the verb demands, the sufficiency and where it stands.

Plain text building, shared by the app's AC pane and anything else that shows one AC.
"""

from __future__ import annotations

from companion.assessment.decisions import shown_state
from companion.assessment.progress import CriterionProgress
from companion.assessment.rules import Flag
from companion.content.model import Content, DepthEntry
from companion.review.feedback import DECISION_LABELS, NOT_ASSESSED, AcFeedback
from companion.text.markdown import escape_markdown

VERB_NOTE = (
    "A referral follows when the evidence does not meet the command verb's demand: "
    "an AC that asks you to *evaluate* is not met by a description."
)


def _depth(entries: tuple[DepthEntry, ...], indent: int = 0) -> list[str]:
    lines: list[str] = []
    for entry in entries:
        lines.append("  " * indent + f"- {entry.text}")
        lines += _depth(entry.items, indent + 1)
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


NARROW_PANE = 72
"""Below this many columns the evidence is a list, one piece a line: four table columns in
less room cut every title to a few letters."""


def _evidence_lines(progress: CriterionProgress, width: int | None = None) -> list[str]:
    lines = ["", "## Evidence"]
    if not progress.evidence:
        return [
            *lines,
            "No evidence tagged yet. Press `t` here to pick a note for this AC, "
            "or open a note (`n`) and press `t`.",
        ]
    if width is not None and width < NARROW_PANE:
        for e in progress.evidence:
            title = escape_markdown(e.title)
            excluded = f" — **NOT COUNTED**: {escape_markdown(e.excluded)}" if e.excluded else ""
            where = escape_markdown(e.where or "—")
            lines.append(
                f"- **{escape_markdown(e.ref or '—')}** {title}{excluded}  \n"
                f"  where {where} · tagged {e.tagged[:16].replace('T', ' ')}"
            )
        return lines
    lines += ["| Ref | Note | Where | Tagged |", "|---|---|---|---|"]
    for e in progress.evidence:
        title = f"{e.title} — NOT COUNTED: {e.excluded}" if e.excluded else e.title
        lines.append(
            f"| {_cell(e.ref or '—')} | {_cell(title)} | {_cell(e.where or '—')} "
            f"| {_cell(e.tagged[:16].replace('T', ' '))} |"
        )
    return lines


def _flag_lines(flags: list[Flag]) -> list[str]:
    """The flags raised on the AC's tags (a claim the evidence never names, evidence far
    too short for the verb, …), so what holds the AC back is seen where the AC is."""
    if not flags:
        return []
    lines = ["", "## Flags"]
    for flag in flags:
        mark = "✔ acknowledged" if flag.acknowledged else flag.severity.upper()
        lines.append(
            f"- **{mark}** `{flag.code}` {escape_markdown(flag.note)}: "
            f"{escape_markdown(flag.message)}"
        )
    return lines


def _feedback_lines(feedback: AcFeedback | None, assessor: str) -> list[str]:
    """The tutor's decision and feedback on the AC, once there is any."""
    if feedback is None or (feedback.decision == NOT_ASSESSED and not feedback.feedback):
        return []
    by = f" by {assessor}" if assessor else ""
    return [
        "",
        "## Tutor feedback",
        f"**{DECISION_LABELS[feedback.decision]}**{by}"
        + (f" · {feedback.date}" if feedback.date else ""),
        "",
        *[escape_markdown(line) + "  " for line in feedback.feedback.splitlines()],
    ]


def criterion_markdown(
    content: Content,
    progress: CriterionProgress,
    feedback: AcFeedback | None = None,
    assessor: str = "",
    flags: list[Flag] | None = None,
    width: int | None = None,
) -> str:
    """The AC pane: verb, text, KSBs, Depth, Sufficiency, requirements, checklist, the flags
    on its tags (``flags``: those whose ``ac`` is this AC), evidence (a table, or a list
    where the pane is ``width`` columns and narrower than ``NARROW_PANE``)."""
    c = progress.criterion
    unit = content.unit(c.unit_id)
    shown = shown_state(progress.status, feedback.decision if feedback else NOT_ASSESSED)
    state = (
        f"**{shown}** (evidence: {progress.status})"
        if shown != progress.status
        else (f"**{shown}**")
    )
    lines = [
        f"# {c.verb.upper()}",
        f"**{c.id}** · {unit.title if unit else ''} · status: {state}",
        "",
        f"> {VERB_NOTE}",
        "",
        c.text.replace("\n", "  \n"),
        "",
        "## KSBs",
    ]
    for code in c.ksbs:
        lines.append(f"- **{code}** {content.ksb_text(code)}")
    if c.pass_descriptor:
        text = next(
            (
                d.text
                for g in content.standard.groupings
                for d in g.descriptors
                if d.id == c.pass_descriptor
            ),
            "",
        )
        lines.append(f"- **Pass Descriptor** {text}")
    lines += ["", "## Depth", *_depth(c.depth), "", "## Sufficiency", ""]
    lines += [line if line.strip() else "" for line in c.sufficiency.splitlines()]
    if progress.requirements:
        lines += ["", "## Requirements"]
        for r in progress.requirements:
            mark = "✔" if r.met else "✘"
            items = ", ".join(r.items) if r.items else "none yet"
            lines.append(f"- {mark} **{r.have}/{r.min}** {r.label}: {items}")
    if c.checklist:
        lines += ["", "## Checklist"]
        for item in c.checklist:
            mark = "☑" if progress.covered.get(item.id) else "☐"
            lines.append(f"- {mark} {item.label} (`{item.id}`)")
    lines += _flag_lines([f for f in flags or [] if f.ac == c.id])
    lines += _evidence_lines(progress, width)
    lines += _feedback_lines(feedback, assessor)
    return "\n".join(lines)
