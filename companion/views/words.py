"""A note's word-count breakdown as ``companion words`` prints it: each part, whether it
counts, the counted figure and the target it is held to."""

from __future__ import annotations

from typing import Any

from companion.assessment.status import WordCountItem
from companion.notes.record import NoteRecord
from companion.text.counted import word_band
from companion.text.word_rules import PART_LABELS, PARTS, WordCountRules


def words_json(
    record: NoteRecord, rules: WordCountRules, item: WordCountItem | None
) -> dict[str, Any]:
    """The breakdown as plain data (every part, zero or not)."""
    parts = {part: record.word_parts.get(part, 0) for part in PARTS}
    target = None
    if item is not None:
        target = {
            "kind": item.kind,
            "unit": item.unit,
            "target": item.target.target,
            "low": item.target.low,
            "high": item.target.high,
            "band": item.target.band,
        }
    return {
        "note": record.path,
        "parts": parts,
        "counts": {part: rules.counts(part) for part in PARTS},
        "counted": record.words,
        "total": sum(parts.values()),
        "target": target,
    }


def words_lines(document: dict[str, Any], *, defaults: bool = False) -> list[str]:
    """The breakdown as a table for the terminal."""
    width = max(len(label) for label in PART_LABELS.values())
    lines = [document["note"], f"{'part':<{width}}  {'words':>6}  counts"]
    for part in PARTS:
        words = document["parts"][part]
        says = "yes" if document["counts"][part] else "no"
        lines.append(f"{PART_LABELS[part]:<{width}}  {words:>6}  {says}")
    lines.append(f"{'counted':<{width}}  {document['counted']:>6}")
    lines.append(f"{'all parts':<{width}}  {document['total']:>6}")
    target = document["target"]
    if target is not None:
        if target["kind"] == "assignment":
            band = round((target["high"] - target["target"]) * 100 / max(1, target["target"]))
            what = f"unit {target['unit']} assignment: target {target['target']} +/-{band}%"
        else:
            what = "proposal summary"
        lines.append(f"{what}, {word_band(target['low'], target['high'])}: {target['band']}")
    if defaults:
        lines.append("(no companion.yaml above this note: counted by the default rules)")
    return lines
