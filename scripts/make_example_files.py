"""Write the bundled example's evidence files and their cards into the example portfolio.

The example (Alex Morgan, Head of Operations at a fictional housing association) shows
companion reading real files: a Word document of minutes, a PDF report, a slide deck and a
short audio recording, each in ``companion/example_portfolio/files/`` with a *card* beside
it (``<file name>.md``) whose front matter names the file and tags it to assessment
criteria. The files are generated rather than drawn in an office suite so that anyone can
make them again from this script, and so that each ``where`` on a card points at a page,
slide or moment the file really has.

Every file carries the handbook's header or footer ("Preparing Evidence": the learner's
name, the date produced and the evidence reference), so the example shows evidence that
passes the header rule. Together the files stay under 150 KB (the recording is 8-bit mono
at a low sample rate: WAV does not compress), and running the script twice gives
byte-identical files (fixed dates in the metadata and in the zip entries, seeded content).

The folder holds nothing but the files and their cards, because everything in a portfolio
folder is read as evidence. Run from the repository root:

    .venv/bin/python scripts/make_example_files.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evidence_files import (  # noqa: E402  (the path above makes bench importable)
    PAGE_BREAK,
    REFERENCES,
    Block,
    Heading,
    Slide,
    Table,
    make_docx,
    make_pdf,
    make_pptx,
    make_wav,
    reference_list,
)

LEARNER = "Alex Morgan"
OUT = ROOT / "companion" / "example_portfolio" / "files"

WAV_SECONDS = 48
WAV_RATE = 1000
"""Samples a second: 48 s of 8-bit mono at 1 kHz is 48 KB, which keeps the four files
under 150 KB (at 8 kHz the recording alone would be 384 KB). The tone carries no speech either way;
what matters to companion is the duration the header gives."""


def _long(day: date) -> str:
    """'12 May 2026', as the files print a date."""
    return f"{day.day} {day:%B %Y}"


def _margin(ref: str, day: date) -> str:
    """The header or footer text the handbook asks for: name, reference, date produced."""
    return f"{LEARNER} · {ref} · {_long(day)}"


# ----------------------------------------------------------------------------------------
# E026: minutes (docx)
# ----------------------------------------------------------------------------------------

MINUTES_REF, MINUTES_DATE = "E026", date(2026, 5, 12)
MINUTES_FILE = "repairs-board-minutes-2026-05-12.docx"
MINUTES_TITLE = "Repairs improvement board — minutes, 12 May 2026"

MINUTES: list[Block] = [
    "Present: Alex Morgan, Head of Operations (chair); Repairs Manager; Head of People; "
    "Finance Business Partner; Tenants’ Panel representative; Unison branch secretary. "
    "Minutes: Programme Officer.",
    Heading("1. Apologies and declarations"),
    "Apologies from the Director of Housing. No declarations of interest were made.",
    Heading("2. Performance dashboard"),
    "The Repairs Manager presented the April dashboard. Repairs fixed at the first visit "
    "rose to 81% (target 85%); the average time to resolve damp and mould cases fell to 24 "
    "days from 41 in October. Tenant satisfaction with repairs stood at 71%.",
    "The Tenants’ Panel representative welcomed the trend but said that tenants still "
    "wait too long for a second visit when parts are not on the van.",
    Heading("3. Damp and mould hazard pathway"),
    "Alex Morgan introduced the revised pathway ahead of the Awaab’s Law timescales: every "
    "report of damp or mould is triaged the same day, hazards are inspected within 10 "
    "working days and emergency hazards within 24 hours.",
    "He explained why the pathway had been redesigned with the supervisors rather than "
    "for them: their depot huddles had identified the hand-off between the contact centre "
    "and the surveyors as the point where cases were lost. The board agreed the pathway "
    "and asked him to brief every depot before it goes live on 1 June.",
    PAGE_BREAK,
    Heading("4. Contractor failure: Northway Building Services"),
    "Alex Morgan reported that Northway Building Services, which carries out 30% of "
    "planned damp works, entered administration on 8 May. He had invoked the business "
    "continuity plan the same morning: the risk register had rated contractor failure as "
    "a red risk since January, so a stand-by arrangement with the in-house damp team and "
    "a framework contractor was already agreed.",
    "All 64 open jobs were reviewed within 48 hours and ranked by hazard; the 11 "
    "households with children under five or a resident with a respiratory condition were "
    "contacted by phone the same day. He proposed, and the board agreed, a £40,000 draw on "
    "the programme contingency for framework rates and weekly reporting to the Executive "
    "Leadership Team until the backlog is cleared.",
    Heading("5. Risks and escalations"),
    "The risk register was updated: contractor failure is now an issue, not a risk; a new "
    "amber risk covers the framework contractor’s capacity over the summer.",
    Heading("6. Actions"),
    Table(
        (
            ("Action", "Owner", "Due"),
            ("Brief every depot on the damp and mould pathway", "Alex Morgan", "29 May 2026"),
            ("Weekly backlog report to ELT", "Repairs Manager", "Every Friday"),
            ("Confirm contingency draw of £40,000", "Finance Business Partner", "15 May 2026"),
        )
    ),
    "Next meeting: 9 June 2026.",
]

MINUTES_CARD = {
    "title": "Repairs improvement board minutes, 12 May 2026 (contractor failure)",
    "type": "minutes",
    "contribution": "I chaired the meeting, presented items 3 and 4 and proposed the "
    "contingency draw agreed under item 4.",
    "evidence": [
        ("702/3.2", "p2 item 4", "2026-05-15T17:20:00+00:00"),
        ("702/2.1", "p1 item 3 para 2", "2026-05-15T17:24:30+00:00"),
    ],
    "body": "Minutes of the repairs improvement board I chair. Item 4 records how I led the "
    "response when a damp works contractor went into administration: the business "
    "continuity plan I had put in place from the risk register, the review of every open "
    "job by hazard, and the contingency I asked the board to release. Item 3 shows the "
    "damp and mould pathway I redesigned with the depot supervisors.",
}

# ----------------------------------------------------------------------------------------
# E027: report (pdf)
# ----------------------------------------------------------------------------------------

REPORT_REF, REPORT_DATE = "E027", date(2026, 6, 19)
REPORT_FILE = "sensor-pilot-interim-evaluation.pdf"
REPORT_TITLE = "Damp sensor pilot — interim evaluation for the Executive Leadership Team"
REPORT_CITED = ["Kotter", "Senge", "Edmondson"]

REPORT: list[Block] = [
    Heading("1. Purpose"),
    "This report gives the Executive Leadership Team an interim evaluation of the damp and "
    "humidity sensor pilot, six months after the first sensors were fitted, and asks for a "
    "decision on whether to extend it before the winter.",
    Heading("2. Background"),
    "In October 2025 the Executive Leadership Team agreed a Repairs Transformation "
    "Programme with three workstreams, one of which was a sensor pilot in 300 homes. The "
    "aim was to find damp and mould before tenants report it, rather than after – the "
    "regulator’s inspection had found that cases took 41 days on average to resolve.",
    "Sensors were fitted in 300 homes chosen from the three estates with the most damp "
    "reports in 2024–25. Each sensor reports temperature and relative humidity every 15 "
    "minutes; an alert is raised when humidity stays above 70% for three days. The pilot "
    "cost £96,000, of which £61,000 was the sensors and installation.",
    "Kotter (1996) argues that short-term wins keep a change programme moving; the pilot "
    "was designed to produce one that staff and tenants could see within a winter.",
    PAGE_BREAK,
    Heading("3. What the data shows"),
    Table(
        (
            ("Measure", "Pilot homes", "Comparison homes"),
            ("Damp cases found before a tenant report", "42", "—"),
            ("Average days to resolve a damp case", "17", "26"),
            ("Repeat visits for the same damp case", "9%", "23%"),
            ("Cost per case resolved", "£412", "£655"),
        )
    ),
    "The financial information supports extending the pilot. Cases found early cost "
    "£412 on average to resolve against £655 for cases reported by tenants, because the "
    "work is smaller and there are fewer repeat visits. At the current rate the sensors "
    "would pay for themselves in a little over three years in the pilot homes alone.",
    "The non-financial information matters as much. In 11 of the 42 homes where a sensor "
    "raised an alert, the tenant had not reported a problem; in interviews, several said "
    "they had not expected anything to be done. Tenant satisfaction with repairs in pilot "
    "homes is 79%, against 71% across the association.",
    "I have tested these figures against the governance framework the board set for the "
    "programme. The Audit and Risk Committee asked in February for evidence that the "
    "savings are not simply the result of choosing the worst estates; the comparison homes "
    "were therefore matched by property age and archetype, and the Finance Business "
    "Partner has reviewed the cost model. The figures remain an estimate until a full "
    "winter has been measured.",
    PAGE_BREAK,
    Heading("4. Working with partners"),
    "The pilot has changed how the surveyors, the sensor supplier and the tenants’ panel "
    "work together. The supervisors now run a fortnightly review of alerts with the "
    "supplier’s engineer, and their suggestion to send a text before each visit has cut "
    "missed appointments by a third. Creating room for people to suggest and test such "
    "changes, without fear of blame when one fails (Edmondson, 2019), has been the part of "
    "the pilot I have worked hardest at.",
    "Senge (2006) describes a learning organisation as one where people continually "
    "expand their capacity to create the results they want; the alert reviews are a small "
    "example of that in practice.",
    Heading("5. Recommendation"),
    "That the Executive Leadership Team extends the pilot to a further 700 homes from "
    "October 2026, within the existing capital budget of £1.2m, and receives a full "
    "evaluation after the winter.",
    Heading("References"),
    *reference_list(REPORT_CITED),
]

REPORT_CARD = {
    "title": "Report to ELT — damp sensor pilot interim evaluation",
    "type": "report",
    "references": REPORT_CITED,
    "evidence": [
        ("705/2.1", "p2 paras 1-3", "2026-06-24T19:10:00+00:00"),
        ("702/2.2", "p3 para 1", "2026-06-24T19:13:45+00:00"),
    ],
    "body": "My interim evaluation of the sensor pilot for the Executive Leadership Team. "
    "Page 2 sets out the financial and non-financial information I used to recommend "
    "extending the pilot, and how I tested it against the questions the Audit and Risk "
    "Committee had asked. Page 3 describes how the supervisors, the supplier and the "
    "tenants’ panel came to work together on the alerts.",
}

# ----------------------------------------------------------------------------------------
# E028: presentation (pptx)
# ----------------------------------------------------------------------------------------

DECK_REF, DECK_DATE = "E028", date(2026, 7, 8)
DECK_FILE = "hub-rota-consultation-briefing.pptx"
DECK_TITLE = "Riverside hub rotas — consultation briefing for supervisors"
DECK_CITED = ["Mendelow", "Bridges"]

DECK: list[Slide] = [
    Slide(DECK_TITLE, subtitle=f"{LEARNER}, Head of Operations · {_long(DECK_DATE)}"),
    Slide(
        "Why the rotas are changing",
        (
            "Eastgate depot closed in March; all trades now work from Riverside",
            "Emergency cover must meet the new damp and mould timescales",
            "Current rotas leave Friday afternoons and Saturdays thin",
        ),
        "I open by reminding supervisors why we are here: the move to the hub changed "
        "travel times and the Awaab’s Law timescales changed what counts as an emergency.",
    ),
    Slide(
        "Who we are consulting, and how",
        (
            "Every operative: face-to-face sessions in each team, 13–24 July",
            "Unison: formal consultation, two meetings, written response",
            "Tenants’ panel: what the changes mean for appointment times",
            "Mapped on a power–interest grid (Mendelow, 1991)",
        ),
        "I explain why each group hears it in a different way: operatives from their own "
        "supervisor first, the union formally, and tenants only once the options are clear.",
    ),
    Slide(
        "What you will say in your team sessions",
        (
            "The three rota options and what each means for overtime",
            "What is fixed (cover levels) and what is open (patterns, swaps)",
            "How to send views: in the session, by text, or to me directly",
        ),
        "Supervisors asked for a script last time; this time I ask them to use their own "
        "words and give them the three facts that must be the same in every team.",
    ),
    Slide(
        "Building a rota that works for everyone",
        (
            "Part-time and carer patterns designed in from the start",
            "Apprentices paired with a mentor on every shift",
            "Skills matrix used to spread gas and electrical cover",
        ),
        "I describe how the workforce plan shaped the options: last year three experienced "
        "women left because the old rota could not fit caring responsibilities, and we "
        "lost the skills with them.",
    ),
    Slide(
        "Managing the transition",
        (
            "Ending, neutral zone, new beginning (Bridges, 2009)",
            "Expect questions about what is being lost, not only what is new",
            "Weekly check-in with me until the new rota starts",
        ),
        "I ask supervisors to listen for what people feel they are losing – familiar "
        "partners, a Friday finish – and to bring those concerns to the weekly check-in.",
    ),
    Slide(
        "Timeline",
        (
            "13–24 July: team sessions and union meetings",
            "31 July: options revised with the feedback",
            "1 September: new rotas start, reviewed after eight weeks",
        ),
        "I close by confirming the dates and that no option is decided before the "
        "consultation ends.",
    ),
    Slide("References", tuple(reference_list(DECK_CITED))),
]

DECK_CARD = {
    "title": "Briefing slides — hub rota consultation for supervisors",
    "type": "presentation",
    "references": DECK_CITED,
    "evidence": [
        ("704/2.1", "slides 3-4 and speaker notes", "2026-07-10T08:30:00+00:00"),
        ("706/1.2", "slide 5", "2026-07-10T08:34:10+00:00"),
    ],
    "body": "The slides I used to brief the depot supervisors before the consultation on "
    "the hub rotas, with my speaker notes. Slides 3 and 4 show how I planned the "
    "communication for each audience and what I asked supervisors to say; slide 5 shows "
    "how the workforce plan shaped rota options that keep carers and apprentices in the "
    "team.",
}

# ----------------------------------------------------------------------------------------
# E029: recording (wav)
# ----------------------------------------------------------------------------------------

RECORDING_REF, RECORDING_DATE = "E029", date(2026, 7, 15)
RECORDING_FILE = "rota-consultation-opening-2026-07-15.wav"

RECORDING_CARD = {
    "title": "Recording — opening the rota consultation with the gas team",
    "type": "recording",
    "evidence": [
        ("700/2.1", "00:18", "2026-07-17T18:00:00+00:00"),
    ],
    "body": "Audio recording, 48 seconds, recorded with the consent of everyone present.\n\n"
    f"**00:00** — Introduction: “I’m {LEARNER}, Head of Operations. It’s Wednesday the "
    "15th of July 2026, and I’m with the gas team at Riverside hub with their supervisor.”\n\n"
    "**00:18** — I explain that nothing is decided yet and ask the team what would make a "
    "rota fair for them, then wait for the first answer rather than filling the silence.\n\n"
    "**00:40** — I agree to come back with the revised options on 31 July.",
}


# ----------------------------------------------------------------------------------------
# Cards
# ----------------------------------------------------------------------------------------


def card_text(card: dict[str, object], *, ref: str, day: date, file: str) -> str:
    """The Markdown card for one file: front matter in the example notes' style, then the
    commentary. Written by hand rather than with a YAML dumper so the field order and
    quoting match the notes an apprentice sees beside it."""
    lines = [
        "---",
        f"title: {card['title']}",
        f"ref: {ref}",
        f"date: {day.isoformat()}",
        f"learner: {LEARNER}",
        f"type: {card['type']}",
        f"file: {file}",
    ]
    if "contribution" in card:
        lines.append(f"contribution: {card['contribution']}")
    if card["type"] == "recording":
        lines += ["recording:", "  introduction: true"]
    references = card.get("references")
    if isinstance(references, list):
        lines.append("references:")
        lines += [f"  - {_yaml_quote(REFERENCES[author])}" for author in references]
    lines.append("evidence:")
    evidence = card["evidence"]
    assert isinstance(evidence, list)
    for ac, where, tagged in evidence:
        lines += [f"  - ac: {ac}", f'    where: "{where}"', f"    tagged: '{tagged}'"]
    lines += [
        "---",
        "",
        f"# {card['title']}",
        "",
        f"Evidence ref {ref} · {LEARNER} · {_long(day)} · file: {file}",
        "",
        *_wrap(str(card["body"])),
    ]
    return "\n".join(lines)


def _wrap(body: str) -> list[str]:
    """The commentary's paragraphs wrapped at 90 columns, as the example's notes are."""
    lines: list[str] = []
    for paragraph in body.split("\n\n"):
        lines += [*textwrap.wrap(paragraph, 90, break_on_hyphens=False), ""]
    return lines


def _yaml_quote(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (a reference holds colons and quotes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(out: Path) -> list[Path]:
    """Write the four files and their cards into ``out``; return the files' paths."""
    out.mkdir(parents=True, exist_ok=True)
    files = [
        make_docx(
            out / MINUTES_FILE,
            title=MINUTES_TITLE,
            blocks=MINUTES,
            header_text=_margin(MINUTES_REF, MINUTES_DATE),
            footer_text=f"Repairs improvement board · Evidence ref {MINUTES_REF}",
            created=MINUTES_DATE,
            author=LEARNER,
        ),
        make_pdf(
            out / REPORT_FILE,
            title=REPORT_TITLE,
            blocks=REPORT,
            header_lines=["Report to the Executive Leadership Team · OFFICIAL"],
            footer_lines=[f"{LEARNER} · Evidence ref {REPORT_REF} · {_long(REPORT_DATE)}"],
            created=REPORT_DATE,
            author=LEARNER,
            subject="Damp sensor pilot",
        ),
        make_pptx(
            out / DECK_FILE,
            title=DECK_TITLE,
            slides=DECK,
            footer_text=_margin(DECK_REF, DECK_DATE),
            created=DECK_DATE,
            author=LEARNER,
        ),
        make_wav(out / RECORDING_FILE, WAV_SECONDS, WAV_RATE, seed=29),
    ]
    cards = [
        (MINUTES_CARD, MINUTES_REF, MINUTES_DATE, MINUTES_FILE),
        (REPORT_CARD, REPORT_REF, REPORT_DATE, REPORT_FILE),
        (DECK_CARD, DECK_REF, DECK_DATE, DECK_FILE),
        (RECORDING_CARD, RECORDING_REF, RECORDING_DATE, RECORDING_FILE),
    ]
    for card, ref, day, name in cards:
        text = card_text(card, ref=ref, day=day, file=name)
        (out / f"{name}.md").write_text(text, encoding="utf-8")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args()
    files = write(args.out)
    total = 0
    for path in files:
        size = path.stat().st_size
        total += size
        print(f"{path.name:<48} {size / 1024:7.1f} KB")
    print(f"{'total':<48} {total / 1024:7.1f} KB")


if __name__ == "__main__":
    main()
