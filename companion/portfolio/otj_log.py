"""The off-the-job training log, ``otj.yaml``: one YAML list the learner owns and edits.

One file rather than a note per entry: a log is a list kept in date order, hundreds of entries
long, and as one YAML list it edits well in any editor, keeps the learner's comments, diffs
cleanly, and gives every entry a line for messages, without filling the portfolio (and the
note index) with hundreds of tiny notes that are not evidence.

The file is read from YAML's node tree, not its constructed values: an unquoted ``3:30``
would otherwise arrive as the base-60 number 210, and every value keeps its line. Nothing the
file holds can stop the portfolio opening: an entry that cannot be used is a problem with its
line, and a file that is not a list is one problem for the whole log.

Companion writes the log in one way only, like a note (``companion.notes.edit``): lock, read,
splice the new entry's lines in (at the end, or in place of the one entry edited), check the
result reads back as every other entry did plus the change, re-check the bytes on disk, and
replace the file atomically. Every other byte stays as the learner wrote it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from companion import clock
from companion.errors import CompanionError
from companion.files import UnsafeWrite, atomic_write, file_lock, read_regular
from companion.portfolio.hours import HoursError, hmm_text, hours_text, parse_hours
from companion.portfolio.layout import OTJ_FILE
from companion.text.names import line_problem, tidy
from companion.text.values import NotADate, near_hint, read_date

MAX_LOG_BYTES = 4 * 1024 * 1024
MAX_TEXT = 500
FIELDS = ("date", "hours", "activity", "kind", "ksbs", "evidence", "note")
REQUIRED = ("date", "hours", "activity", "kind")
_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COMMENT = re.compile(r"(^|\s)#")
HEADER = (
    "# Off-the-job training log: one entry per activity. This file is yours: edit it in any\n"
    "# editor. Companion only adds an entry at the end, or rewrites the one entry you edit.\n"
    '#   date: YYYY-MM-DD    hours: 3.5 or "3:30"    kind: training, shadowing, mentoring, ...\n'
    "#   activity: what you did    ksbs: [K1, S2] it develops    evidence: the note it produced\n"
)


class OtjLogError(CompanionError):
    """An entry or a change to the log that cannot be used; the message says why."""


class OtjWriteError(OtjLogError):
    """The log was left exactly as it was: the change was refused to keep it safe."""

    exit_status = 1


@dataclass(frozen=True)
class Entry:
    """One activity of the log, as valid values."""

    date: dt.date
    minutes: int
    activity: str
    kind: str
    ksbs: tuple[str, ...] = ()
    evidence: str = ""
    note: str = ""
    line: int = 0
    """The line the entry starts on (1-based)."""
    number: int = 0
    """Its place in the log (1-based), counting entries that have problems too."""

    def values(self) -> tuple[Any, ...]:
        """What the entry says, without where it is (to compare a log before and after)."""
        return (
            self.date,
            self.minutes,
            self.activity,
            self.kind,
            self.ksbs,
            self.evidence,
            self.note,
        )


@dataclass(frozen=True)
class LogProblem:
    """An entry (or the whole file) that cannot be used, and where it is."""

    line: int
    message: str
    number: int = 0

    def __str__(self) -> str:
        where = f"{OTJ_FILE}:{self.line}" if self.line else OTJ_FILE
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class OtjLog:
    """The log as read: its valid entries, the problems, and what a writer needs."""

    path: Path
    raw: bytes | None
    """The file's bytes; ``None`` when there is no log yet."""
    entries: tuple[Entry, ...] = ()
    problems: tuple[LogProblem, ...] = ()
    fatal: bool = False
    """True when the file as a whole cannot be read as a log (nothing can be added)."""
    items: tuple[tuple[Any, ...], ...] = ()
    """Every list item as read (valid or not), to check a write changed only its own."""
    spans: tuple[tuple[int, int], ...] = ()
    """Per item, its first line and the line after it (0-based), trailing comments excluded."""
    indent: int = 0
    flow: bool = False

    @property
    def exists(self) -> bool:
        """True when the learner has a log file."""
        return self.raw is not None


Checker = Callable[[str], str | None]
"""Given a KSB code as written, its canonical code, or ``None`` when there is no such KSB."""


# --- one entry's fields --------------------------------------------------------------


def _text(value: str, what: str) -> str:
    text = tidy(value)
    problem = line_problem(text, MAX_TEXT)
    if problem:
        raise OtjLogError(f"{what} {problem}")
    return text


def check_entry(
    fields: dict[str, Any],
    ksb: Checker,
    kinds: Collection[str] | None,
) -> Entry:
    """The entry ``fields`` describe (texts as written, ``ksbs`` a list), or OtjLogError."""
    for key in REQUIRED:
        value = fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise OtjLogError(f"no {key} (an entry needs {', '.join(REQUIRED)})")
    date_text = str(fields["date"]).strip()
    try:
        date = read_date(date_text)
    except NotADate as exc:
        raise OtjLogError(
            f"date '{date_text[:20]}' is not a date like 2026-03-02{exc.suffix}"
        ) from None
    assert date is not None  # a blank date is refused above
    try:
        minutes = parse_hours(fields["hours"])
    except HoursError as exc:
        raise OtjLogError(exc.message) from None
    kind = str(fields["kind"]).strip().lower()
    if kinds is not None and kind not in kinds:
        raise OtjLogError(f"kind '{kind[:40]}' is not one of {', '.join(kinds)}")
    codes: list[str] = []
    for code in fields.get("ksbs") or ():
        canonical = ksb(str(code).strip())
        if canonical is None:
            raise OtjLogError(f"'{str(code)[:20]}' is not a KSB of the standard")
        if canonical not in codes:
            codes.append(canonical)
    return Entry(
        date=date,
        minutes=minutes,
        activity=_text(str(fields["activity"]), "activity"),
        kind=kind,
        ksbs=tuple(codes),
        evidence=_text(str(fields.get("evidence") or ""), "evidence"),
        note=_text(str(fields.get("note") or ""), "note"),
    )


def split_ksbs(text: str) -> list[str]:
    """KSB codes typed as ``K1, S2`` or ``K1 S2``."""
    return [c for c in re.split(r"[\s,;]+", text.strip()) if c]


# --- reading -------------------------------------------------------------------------


def _scalar(node: yaml.Node, key: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        raise OtjLogError(f"'{key}' must be a single value")
    if node.tag.endswith(":null") or (node.style is None and node.value in ("", "~", "null")):
        return None
    return str(node.value)


def _fields(node: yaml.Node) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """An item's fields as texts, and what it says (to compare before and after a write)."""
    if not isinstance(node, yaml.MappingNode):
        raise OtjLogError("an entry must be fields such as 'date: 2026-03-02' and 'hours: 3.5'")
    fields: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if key in fields:
            raise OtjLogError(f"'{key}' is given twice")
        if key not in FIELDS:
            raise OtjLogError(
                f"unknown field '{key[:30]}'{near_hint(key, FIELDS)} "
                f"(an entry takes: {', '.join(FIELDS)})"
            )
        if key == "ksbs":
            if isinstance(value_node, yaml.SequenceNode):
                fields[key] = [_scalar(item, key) or "" for item in value_node.value]
            else:
                fields[key] = split_ksbs(_scalar(value_node, key) or "")
        else:
            fields[key] = _scalar(value_node, key)
    said = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items())
    return fields, said


def _spans(lines: list[str], starts: list[int], end: int) -> list[tuple[int, int]]:
    spans = []
    for index, start in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else end
        while stop > start + 1 and (
            not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")
        ):
            stop -= 1
        spans.append((start, stop))
    return spans


def parse_log(raw: bytes, path: Path, ksb: Checker, kinds: Collection[str] | None) -> OtjLog:
    """The log ``raw`` holds; never raises for what the file says."""

    def fatal(message: str, line: int = 0) -> OtjLog:
        return OtjLog(path, raw, problems=(LogProblem(line, message),), fatal=True)

    if len(raw) > MAX_LOG_BYTES:
        return fatal(f"larger than {MAX_LOG_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return fatal("not UTF-8 text")
    loader = _BASE(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return fatal(f"not valid YAML: {exc.problem or exc.context}", mark.line + 1 if mark else 0)
    except yaml.YAMLError as exc:
        return fatal(f"not valid YAML: {exc}")
    finally:
        loader.dispose()
    if root is None:
        return OtjLog(path, raw)
    if not isinstance(root, yaml.SequenceNode):
        return fatal("the log must be a list of entries, each starting '- date: ...'", 1)
    entries: list[Entry] = []
    problems: list[LogProblem] = []
    items: list[tuple[Any, ...]] = []
    seen: set[int] = set()
    for number, node in enumerate(root.value, start=1):
        line = node.start_mark.line + 1
        if id(node) in seen:
            problems.append(
                LogProblem(line, f"entry {number}: aliases are not used in the log", number)
            )
            items.append(("alias",))
            continue
        seen.add(id(node))
        try:
            fields, said = _fields(node)
            items.append(said)
            entry = check_entry(fields, ksb, kinds)
        except OtjLogError as exc:
            if len(items) < number:
                items.append(("unreadable", exc.message))
            problems.append(LogProblem(line, f"entry {number}: {exc.message}", number))
            continue
        entries.append(replace(entry, line=line, number=number))
    lines = text.splitlines(keepends=True)
    starts = [n.start_mark.line for n in root.value]
    return OtjLog(
        path,
        raw,
        tuple(entries),
        tuple(problems),
        items=tuple(items),
        spans=tuple(_spans(lines, starts, len(lines))),
        indent=root.start_mark.column,
        flow=bool(root.flow_style),
    )


def log_path(root: Path) -> Path:
    """Where a portfolio's log is."""
    return root / OTJ_FILE


def read_log(root: Path, ksb: Checker, kinds: Collection[str] | None) -> OtjLog:
    """The portfolio's log (an empty one when there is no file)."""
    path = log_path(root)
    try:
        raw = read_regular(path, MAX_LOG_BYTES)
    except FileNotFoundError:
        return OtjLog(path, None)
    except (OSError, CompanionError) as exc:
        reason = exc.message if isinstance(exc, CompanionError) else (exc.strerror or str(exc))
        return OtjLog(path, b"", problems=(LogProblem(0, f"cannot be read: {reason}"),), fatal=True)
    return parse_log(raw, path, ksb, kinds)


# --- writing -------------------------------------------------------------------------


def _dump(value: str) -> str:
    text: str = yaml.safe_dump(value, default_flow_style=True, width=4096, allow_unicode=True)
    return text.strip().removesuffix("...").strip()


def entry_lines(entry: Entry, indent: int) -> list[str]:
    """The entry as block YAML lines at ``indent`` (without line endings)."""
    pad = " " * indent
    # A decimal where it is exact to two places (3.5, 0.25), else h:mm, quoted so that no
    # YAML tool reads it as a base-60 number.
    hours = hours_text(entry.minutes) if entry.minutes % 3 == 0 else f'"{hmm_text(entry.minutes)}"'
    lines = [
        f"{pad}- date: {entry.date.isoformat()}",
        f"{pad}  hours: {hours}",
        f"{pad}  kind: {entry.kind}",
        f"{pad}  activity: {_dump(entry.activity)}",
    ]
    if entry.ksbs:
        lines.append(f"{pad}  ksbs: [{', '.join(entry.ksbs)}]")
    if entry.evidence:
        lines.append(f"{pad}  evidence: {_dump(entry.evidence)}")
    if entry.note:
        lines.append(f"{pad}  note: {_dump(entry.note)}")
    return lines


def _newline(raw: bytes) -> str:
    return "\r\n" if b"\r\n" in raw else "\n"


def _appended(log: OtjLog, entry: Entry) -> bytes:
    assert log.raw is not None
    if log.fatal:
        raise OtjWriteError(f"{OTJ_FILE} cannot be read as a log ({log.problems[0]}); fix it first")
    if log.flow:
        raise OtjWriteError(
            f"{OTJ_FILE} holds a [ ... ] list; companion adds entries only to a list of "
            "'- date: ...' entries"
        )
    eol = _newline(log.raw)
    text = log.raw.decode("utf-8-sig")
    bom = log.raw.startswith(b"\xef\xbb\xbf")
    if text and not text.endswith(("\n", "\r")):
        text += eol
    text += eol.join(entry_lines(entry, log.indent)) + eol
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _replaced(log: OtjLog, number: int, entry: Entry) -> bytes:
    assert log.raw is not None
    if log.fatal or not 1 <= number <= len(log.spans):
        raise OtjWriteError(f"there is no entry {number} in {OTJ_FILE}")
    text = log.raw.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    start, stop = log.spans[number - 1]
    if any(_COMMENT.search(line) for line in lines[start:stop]):
        raise OtjWriteError(
            f"entry {number} ({OTJ_FILE}:{start + 1}) holds a comment, which an edit here would "
            "lose; change it in your editor instead"
        )
    eol = _newline(log.raw)
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    if log.flow:
        raise OtjWriteError(f"{OTJ_FILE} holds a [ ... ] list; edit it in your editor instead")
    new = [line + eol for line in entry_lines(entry, indent)]
    bom = log.raw.startswith(b"\xef\xbb\xbf")
    body = "".join(lines[:start] + new + lines[stop:])
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")


def _verify(before: OtjLog, after: OtjLog, number: int | None, entry: Entry) -> None:
    """Refuse unless ``after`` reads as ``before`` with only the one change."""
    if after.fatal:
        raise OtjWriteError(f"the change would make {OTJ_FILE} unreadable; nothing was written")
    items = list(before.items)
    if number is None:
        expected_others, changed = items, len(items) + 1
        got_others = list(after.items[:-1])
    else:
        expected_others = items[: number - 1] + items[number:]
        got_others = list(after.items[: number - 1] + after.items[number:])
        changed = number
    got = next((e for e in after.entries if e.number == changed), None)
    if got_others != expected_others or got is None or got.values() != entry.values():
        raise OtjWriteError(
            f"{OTJ_FILE} would not read back as intended with the change; nothing was written"
        )


def _deleted(log: OtjLog, number: int) -> bytes:
    """The log without entry ``number``: its lines go, every other byte stays."""
    assert log.raw is not None
    if log.fatal or not 1 <= number <= len(log.spans):
        raise OtjWriteError(f"there is no entry {number} in {OTJ_FILE}")
    if log.flow:
        raise OtjWriteError(f"{OTJ_FILE} holds a [ ... ] list; edit it in your editor instead")
    text = log.raw.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    start, stop = log.spans[number - 1]
    if any(_COMMENT.search(line) for line in lines[start:stop]):
        raise OtjWriteError(
            f"entry {number} ({OTJ_FILE}:{start + 1}) holds a comment, which deleting it here "
            "would lose; delete it in your editor instead"
        )
    bom = log.raw.startswith(b"\xef\xbb\xbf")
    body = "".join(lines[:start] + lines[stop:])
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")


def _verify_deleted(before: OtjLog, after: OtjLog, number: int) -> None:
    """Refuse unless ``after`` reads as ``before`` without entry ``number``."""
    expected = before.items[: number - 1] + before.items[number:]
    if after.fatal or after.items != expected:
        raise OtjWriteError(
            f"{OTJ_FILE} would not read back as intended with the change; nothing was written"
        )


def refuse_future(entry: Entry, today: dt.date | None = None) -> None:
    """Training is logged once it has happened: a date after today is refused (by the app's
    form before it closes, and by every write), where an entry the total leaves out would
    otherwise be kept."""
    today = today or clock.today()
    if entry.date > today:
        raise OtjLogError(
            f"{entry.date.isoformat()} is in the future (today is {today.isoformat()}): "
            "log off-the-job training once it has happened"
        )


def _write(
    root: Path,
    ksb: Checker,
    kinds: Collection[str] | None,
    change: Callable[[OtjLog], tuple[bytes, int | None]],
    verify: Callable[[OtjLog, OtjLog, int | None], None],
    expected: bytes | None,
    first: Entry | None = None,
) -> OtjLog:
    """Make ``change`` to the log under its lock, refusing unless ``verify`` finds that the
    result reads back as intended and the file is as it was read (``expected``); where there
    is no log yet, it is made holding ``first``."""
    path = log_path(root)

    def unchanged(raw: bytes | None) -> Callable[[], None]:
        def check() -> None:
            try:
                now = read_regular(path, MAX_LOG_BYTES)
            except FileNotFoundError:
                now = None
            if now != raw:
                raise OtjWriteError(
                    f"{OTJ_FILE} changed on disk while it was being written; nothing was written"
                )

        return check

    if path.is_symlink():
        raise OtjWriteError(
            f"{OTJ_FILE} is a symbolic link; companion does not write through links "
            "(use the file it points to)"
        )
    try:
        if not path.exists():
            if expected is not None:
                raise OtjWriteError(f"{OTJ_FILE} is gone since it was read; nothing was written")
            if first is None:
                raise OtjWriteError(f"there is no {OTJ_FILE} to change")
            empty = OtjLog(path, b"")
            data = (HEADER + "\n".join(entry_lines(first, 0)) + "\n").encode("utf-8")
            after = parse_log(data, path, ksb, kinds)
            verify(empty, after, None)
            atomic_write(path, data, within=root, check=unchanged(None))
            return after
        with file_lock(path):
            before = read_log(root, ksb, kinds)
            if expected is not None and before.raw != expected:
                raise OtjWriteError(
                    f"{OTJ_FILE} changed on disk since it was read; reload it and try again"
                )
            data, number = change(before)
            after = parse_log(data, path, ksb, kinds)
            verify(before, after, number)
            atomic_write(path, data, within=root, check=unchanged(before.raw))
            return after
    except UnsafeWrite as exc:
        raise OtjWriteError(exc.message) from None
    except OSError as exc:
        raise OtjWriteError(f"{OTJ_FILE} could not be written: {exc.strerror or exc}") from None


def add_entry(
    root: Path,
    entry: Entry,
    ksb: Checker,
    kinds: Collection[str] | None,
    *,
    expected: bytes | None = None,
) -> OtjLog:
    """Append ``entry`` to the log (creating it), leaving every other byte as it was."""
    refuse_future(entry)
    return _write(
        root,
        ksb,
        kinds,
        lambda log: (_appended(log, entry), None),
        lambda before, after, number: _verify(before, after, number, entry),
        expected,
        first=entry,
    )


def replace_entry(
    root: Path,
    number: int,
    entry: Entry,
    ksb: Checker,
    kinds: Collection[str] | None,
    *,
    expected: bytes | None = None,
) -> OtjLog:
    """Rewrite entry ``number`` (1-based) as ``entry``; every other line stays as it was."""
    if not log_path(root).exists():
        raise OtjWriteError(f"there is no {OTJ_FILE} to edit")
    refuse_future(entry)
    return _write(
        root,
        ksb,
        kinds,
        lambda log: (_replaced(log, number, entry), number),
        lambda before, after, changed: _verify(before, after, changed, entry),
        expected,
    )


def delete_entry(
    root: Path,
    number: int,
    ksb: Checker,
    kinds: Collection[str] | None,
    *,
    expected: bytes | None = None,
) -> OtjLog:
    """Remove entry ``number`` (1-based): its lines go, every other line stays as it was."""
    if not log_path(root).exists():
        raise OtjWriteError(f"there is no {OTJ_FILE} to delete from")
    return _write(
        root,
        ksb,
        kinds,
        lambda log: (_deleted(log, number), number),
        lambda before, after, _: _verify_deleted(before, after, number),
        expected,
    )
