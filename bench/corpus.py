"""Generated portfolios that read like real ones, for the benchmarks.

Notes of about 3.7 KB and 440 words with what real evidence has and the engine's costly
scans look for: headings, bullet lists, dates, numbers, money and percentages, Harvard
citations in about 18% of sentences (nine in ten of them to the note's own reference list),
a reference list, the odd phone number and e-mail address, and evidence tags in the front
matter. Most bodies hold text beyond ASCII, as UK notes do (``£``, curly quotes and
apostrophes), and the words leadership notes use that the text checks look for ("role",
"we"). Generation is seeded, so the same size always gives the same portfolio.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

WORDS = (
    "leadership",
    "team",
    "strategy",
    "culture",
    "change",
    "stakeholder",
    "engagement",
    "coaching",
    "feedback",
    "workforce",
    "planning",
    "budget",
    "risk",
    "governance",
    "values",
    "innovation",
    "performance",
    "review",
    "project",
    "outcome",
    "analysis",
    "improvement",
    "service",
    "repairs",
    "tenants",
    "board",
    "directorate",
    "operations",
    "capacity",
    "demand",
    "forecast",
    "procurement",
    "contract",
    "supplier",
    "quality",
    "safety",
    "compliance",
    "learning",
    "development",
    "objectives",
    "measures",
    "priorities",
    "approach",
    "evidence",
    "decision",
    "role",
    "we",
    "our",
    "with",
    "the",
    "and",
)
QUOTED = ("“quick wins”", "the team’s", "‘business as usual’", "our managers’", "“one team”")
"""Curly quotes and apostrophes, as a word processor writes them."""
AUTHORS = ["Kotter", "Lewin", "Schein", "Goleman", "Belbin", "Tuckman", "Mintzberg", "Porter"]
TYPES = ["report", "minutes", "project-plan", "presentation", "performance-review"]
ACS = [f"70{u}/{lo}.{n}" for u in range(7) for lo in (1, 2) for n in (1, 2)]


def _source(rng: random.Random, listed: list[tuple[str, int]]) -> tuple[str, int]:
    """A work to cite: nine times in ten one of the note's references, as in real notes."""
    if listed and rng.random() < 0.9:
        return rng.choice(listed)
    return rng.choice(AUTHORS), rng.randint(1951, 2023)


def _sentence(rng: random.Random, listed: list[tuple[str, int]]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(QUOTED))
    roll = rng.random()
    if roll < 0.12:
        author, year = _source(rng, listed)
        words.append(f"({author}, {year})")
    elif roll < 0.18:
        author, year = _source(rng, listed)
        words.insert(0, f"{author} ({year}) argues that")
    elif roll < 0.33:
        words.append(f"by {rng.randint(5, 40)}% against £{rng.randint(10, 900)}k in 2025/26")
    elif roll < 0.43:
        words.append(
            f"on {rng.randint(1, 28)} March 2026 at {rng.randint(9, 17)}:{rng.choice(['00', '30'])}"
        )
    sentence = " ".join(words)
    return sentence[0].upper() + sentence[1:] + "."  # str.capitalize would lower the authors' names


def note_text(rng: random.Random, index: int) -> str:
    """One note: front matter, then headings, paragraphs, a list and a reference list."""
    tags = [
        {
            "ac": rng.choice(ACS),
            "where": f"p{rng.randint(1, 9)} para {rng.randint(1, 5)}",
            "tagged": "2026-01-01T09:00:00+00:00",
        }
        for _ in range(rng.randint(0, 3))
    ]
    meta: dict[str, object] = {
        "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {index}",
        "ref": f"E{index:05d}",
        "date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        "learner": "Bench Learner",
        "type": rng.choice(TYPES),
        "contribution": "I led the work and wrote this paper.",
    }
    if tags:
        meta["evidence"] = tags
    listed = [(a, rng.randint(1951, 2023)) for a in rng.sample(AUTHORS, 3)]
    parts = [f"# {meta['title']}", ""]
    for section in ("Background", "Approach", "Outcome"):
        parts += [f"## {section}", ""]
        for _ in range(2):
            parts += [" ".join(_sentence(rng, listed) for _ in range(rng.randint(3, 5))), ""]
    parts += [f"- {_sentence(rng, listed)}" for _ in range(rng.randint(3, 5))]
    parts.append("")
    if rng.random() < 0.05:
        parts += ["Contact the project office on 01632 960 123 or projects@example.org.", ""]
    parts += ["## References", ""]
    parts += [f"{a}, J. ({year}) Leading change. London: Sage." for a, year in listed]
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{head}---\n" + "\n".join(parts) + "\n"


def generate(root: Path, count: int, seed: int = 7) -> Path:
    """A portfolio of ``count`` notes below ``root`` (500 to a folder); returns ``root``."""
    rng = random.Random(seed)
    (root / "notes").mkdir(parents=True, exist_ok=True)
    (root / "companion.yaml").write_text(
        "learner: Bench Learner\nprogramme_start: 2025-01-06\nplanned_gateway: 2027-01-06\n"
    )
    for i in range(count):
        folder = root / "notes" / f"{i // 500:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"n{i:05d}.md").write_text(note_text(rng, i), encoding="utf-8")
    return root
