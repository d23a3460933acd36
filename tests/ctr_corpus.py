"""The Cite Them Right forms of tests/citations/ctr_forms.yaml, read and matched.

Run it to see recall and false warnings: ``python tests/ctr_corpus.py``. A form counts as
recalled when every work it cites is read exactly and, where the guide gives the entries,
matched to them; a false warning is a clean form that raises a warning (or is read as a
work it does not cite).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from companion.notes.citations import problems, scan_citations
from companion.text.citation_match import MATCHED
from companion.text.citations import Citation, Source, find_citations

CORPUS_FILE = Path(__file__).parent / "citations" / "ctr_forms.yaml"
MAX_YEAR = 2027


def load() -> dict[str, Any]:
    """The corpus as written."""
    data: dict[str, Any] = yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8"))
    return data


def _work(source: Source) -> str:
    names = " + ".join(source.authors) + (" et al." if source.et_al else "")
    when = (
        ("no date" + (f" {source.suffix}" if source.suffix else ""))
        if source.no_date
        else (f"{source.year}{source.suffix}")
    )
    pages = f" p.{source.pages}" if source.pages else ""
    return f"{names} {when}{pages}"


def reading(citation: Citation) -> str:
    """A citation as the corpus writes a reading: ``NW: Names year p.pages < Names year``."""
    flags = (
        ("N" if citation.narrative else "")
        + ("W" if citation.weak else "")
        + ("L" if citation.source.legislation else "")
    )
    text = (f"{flags}: " if flags else "") + _work(citation.source)
    if citation.secondary is not None:
        text += " < " + _work(citation.secondary)
    return text


def _weak(text: str) -> bool:
    """A weak reading stays silent without an entry, so it cannot warn."""
    flags, _, rest = text.partition(": ")
    return bool(rest) and "W" in flags


def note(form: dict[str, Any]) -> str:
    """The form's sentence with the guide's entries under a References heading."""
    return form["text"] + "\n\n## References\n\n" + "\n\n".join(form["refs"]) + "\n"


@dataclass
class Outcome:
    """What the reader made of one form."""

    read: list[str]
    exact: bool
    matched: bool | None
    """None when the guide gives no entry to match."""
    warnings: list[str]
    hints: list[str]

    @property
    def recalled(self) -> bool:
        return self.exact and self.matched is not False


def evaluate(form: dict[str, Any]) -> Outcome:
    """Read the form, and match it to its entries when the guide gives them."""
    read = [reading(c) for c in find_citations(form["text"], max_year=MAX_YEAR)]
    exact = read == form["read"]
    warnings: list[str] = []
    hints: list[str] = []
    matched = None
    if form.get("refs"):
        found = scan_citations(note(form), 1)
        warnings = [f"{p[0]}: {p[2]} ({p[3]})" for p in problems(found)]
        hints = [m.hint.split(":")[0] for m in found.report.matches if m.hint]
        matched = bool(found.report.matches) and all(
            m.result == MATCHED for m in found.report.matches
        )
    elif not exact:  # a work read that the form does not cite would find no entry
        warnings = [f"read as {r}" for r in read if r not in form["read"] and not _weak(r)]
    return Outcome(read, exact, matched, warnings, hints)


def report(data: dict[str, Any] | None = None) -> dict[str, int]:
    """The figures: forms, forms recalled, false warnings (clean forms that warn)."""
    data = data or load()
    forms = [f for f in data["forms"] if "derived" not in f]
    outcomes = [(f, evaluate(f)) for f in forms]
    return {
        "forms": len(forms),
        "read": sum(o.exact for _, o in outcomes),
        "recalled": sum(o.recalled for _, o in outcomes),
        "false_warnings": sum(1 for f, o in outcomes if f.get("clean", True) and o.warnings),
    }


def main() -> None:
    """Print the figures and every form that is missed or warns."""
    data = load()
    for form in data["forms"]:
        outcome = evaluate(form)
        if not outcome.recalled or (form.get("clean", True) and outcome.warnings):
            print(f"{form['id']}: read {outcome.read} want {form['read']}")
            for warning in outcome.warnings:
                print(f"    {warning}")
    figures = report(data)
    print(
        f"{figures['recalled']}/{figures['forms']} forms read and matched "
        f"({figures['read']} read exactly); {figures['false_warnings']} false warning(s)"
    )


if __name__ == "__main__":
    main()
