"""The portfolio profile, ``companion.yaml``: the apprentice's own settings, kept with the notes.

It names the learner, the programme dates and how each unit is assessed. It is the
apprentice's data, so it lives in the portfolio folder, not in the app's database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from companion.errors import CompanionError
from companion.files import atomic_write, read_regular
from companion.notes.front_matter import FrontMatterError, load_front_matter
from companion.portfolio.layout import PROFILE_FILE, PROPOSAL_SUMMARY
from companion.portfolio.programme import (
    PROGRAMME_KEYS,
    Programme,
    ProgrammeError,
    read_programme,
)
from companion.text.names import line_problem, tidy
from companion.text.values import (
    NotADate,
    NotYesNo,
    key_lines,
    near_hint,
    read_date,
    read_yes_no,
    unknown_key,
)
from companion.text.word_rules import (
    DEFAULT_EXCLUDED,
    DEFAULT_LEFT_OUT,
    PARTS,
    WordCountRules,
    part_names,
)

if TYPE_CHECKING:
    from companion.content.model import Content

PROFILE_NAME = PROFILE_FILE
METHODS = ("portfolio", "assignment")


class ProfileError(CompanionError):
    """The profile is missing or cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Profile:
    """What the app needs to know about the apprentice and their programme."""

    learner: str = ""
    programme_start: dt.date | None = None
    planned_gateway: dt.date | None = None
    unit_methods: dict[str, str] = field(default_factory=dict)
    framework: str = ""
    """The bundled framework the portfolio follows; empty means the default (the Diploma)."""
    level: str = ""
    """In a framework whose learners choose units: the level chosen (e.g. ``L3``)."""
    optional_units: tuple[str, ...] = ()
    """The optional units chosen at that level."""
    word_count: WordCountRules = field(default_factory=WordCountRules)
    english_maths_level2: bool = False
    employer_statement: bool = False
    matrix_leave_out_assignment_units: bool = True
    proposal_summary: str = PROPOSAL_SUMMARY
    programme: Programme = field(default_factory=Programme)
    """Hours, age at the start and the rest the funding rules ask about."""
    reference_library: str = ""
    """A Zotero export (.bib or CSL-JSON .json) citations may be matched to; '' for none."""
    warnings: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """What in the file was not used (a misspelt key): said, but the profile still works."""

    def method(self, unit_id: str) -> str:
        """How a unit is assessed: ``portfolio`` (the default) or ``assignment``."""
        return self.unit_methods.get(unit_id, "portfolio")


PROFILE_KEYS = (
    "learner",
    "framework",
    "level",
    "optional_units",
    "programme_start",
    "planned_gateway",
    "units",
    "word_count",
    "english_maths_level2",
    "employer_statement",
    "matrix_leave_out_assignment_units",
    "proposal_summary",
    "reference_library",
    *PROGRAMME_KEYS,
)
"""Every key ``companion.yaml`` has; any other is named in a warning."""
MAX_PROFILE_BYTES = 256 * 1024
MAX_NAME = 200
"""The longest learner name accepted: it goes onto every piece of evidence and sheet."""


def learner_name(value: Any, where: str) -> str:
    """A learner's name as read from a file: text, one line, at most ``MAX_NAME`` long."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ProfileError(f"{where}: 'learner' must be a name, not {type(value).__name__}")
    name = tidy(value)
    problem = line_problem(name, MAX_NAME)
    if problem:
        raise ProfileError(f"{where}: 'learner' {problem}")
    return name


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProfileError(f"{PROFILE_NAME}: '{key}' must be text")
    return value.strip()


def _ids(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ProfileError(f"{PROFILE_NAME}: '{key}' must be a list of unit ids")
    return tuple(str(v).strip() for v in value)


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    try:
        return read_yes_no(data.get(key), default)
    except NotYesNo:
        raise ProfileError(
            f"{PROFILE_NAME}: '{key}' must be true or false (or yes or no)"
        ) from None


def _date(value: Any, key: str) -> dt.date | None:
    try:
        return read_date(value)
    except NotADate as exc:
        raise ProfileError(
            f"{PROFILE_NAME}: '{key}' must be a date like 2026-09-01{exc.suffix}"
        ) from None


def load_profile(portfolio: Path) -> Profile:
    """Read ``companion.yaml`` from a portfolio folder (its length is one line per key)."""
    path = portfolio / PROFILE_NAME
    if not path.is_file():
        raise ProfileError(
            f"{portfolio} has no {PROFILE_NAME}; run 'companion init {portfolio}' to create one"
        )
    try:
        raw = read_regular(path, MAX_PROFILE_BYTES)
    except (OSError, CompanionError) as exc:
        raise ProfileError(f"{PROFILE_NAME} cannot be read: {exc}") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{PROFILE_NAME} is larger than a profile can be")
    try:
        text = raw.decode("utf-8-sig")
        data = load_front_matter(text)
    except UnicodeDecodeError:
        raise ProfileError(f"{PROFILE_NAME} is not UTF-8 text") from None
    except FrontMatterError as exc:
        where = f":{exc.line}" if exc.line else ""
        what = "invalid YAML: " if exc.syntax else ""
        raise ProfileError(f"{PROFILE_NAME}{where}: {what}{exc.message}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProfileError(f"{PROFILE_NAME} must hold 'key: value' fields")
    units = data.get("units") or {}
    if not isinstance(units, dict):
        raise ProfileError(f"{PROFILE_NAME}: 'units' must map unit ids to portfolio or assignment")
    methods: dict[str, str] = {}
    for unit_id, method in units.items():
        method = str(method).strip().lower()
        if method not in METHODS:
            raise ProfileError(
                f"{PROFILE_NAME}: unit {unit_id} must be 'portfolio' or 'assignment', "
                f"not '{method}'"
            )
        methods[str(unit_id)] = method
    wc = data.get("word_count") or {}
    if not isinstance(wc, dict):
        raise ProfileError(f"{PROFILE_NAME}: 'word_count' must be a set of fields")
    excluded = wc.get("exclude_sections", list(DEFAULT_EXCLUDED))
    if not isinstance(excluded, list):
        raise ProfileError(f"{PROFILE_NAME}: 'word_count.exclude_sections' must be a list")
    try:
        programme = read_programme(data)
    except ProgrammeError as exc:
        raise ProfileError(exc.message) from None
    settings = ("exclude_sections", "leave_out")
    unknown_keys = sorted(str(k) for k in wc if k not in settings)
    if unknown_keys:
        line = key_lines(text, ("word_count",)).get(unknown_keys[0], 0)
        raise ProfileError(
            f"{PROFILE_NAME}{f' line {line}' if line else ''}: 'word_count' has no setting "
            f"'{unknown_keys[0][:40]}'{near_hint(unknown_keys[0], settings)} "
            "(it has exclude_sections and leave_out)"
        )
    return Profile(
        learner=learner_name(data.get("learner"), PROFILE_NAME),
        framework=_text(data.get("framework"), "framework"),
        level=_text(data.get("level"), "level"),
        optional_units=_ids(data.get("optional_units"), "optional_units"),
        programme_start=_date(data.get("programme_start"), "programme_start"),
        planned_gateway=_date(data.get("planned_gateway"), "planned_gateway"),
        unit_methods=methods,
        word_count=WordCountRules(
            tuple(str(e).strip().lower() for e in excluded), _leave_out(wc.get("leave_out"))
        ),
        english_maths_level2=_flag(data, "english_maths_level2", False),
        employer_statement=_flag(data, "employer_statement", False),
        matrix_leave_out_assignment_units=_flag(data, "matrix_leave_out_assignment_units", True),
        proposal_summary=_text(data.get("proposal_summary"), "proposal_summary")
        or PROPOSAL_SUMMARY,
        programme=programme,
        reference_library=_library_name(data.get("reference_library")),
        warnings=unknown_keys_warnings(text, data),
    )


def unknown_keys_warnings(text: str, data: dict[str, Any]) -> tuple[str, ...]:
    """A line for each key the profile does not have, with the one it is closest to: a
    misspelt ``planned_gatway:`` would otherwise be ignored without a word."""
    unknown = [k for k in data if k not in PROFILE_KEYS]
    if not unknown:
        return ()
    lines = key_lines(text)
    return tuple(
        unknown_key(key, PROFILE_KEYS, PROFILE_NAME, lines.get(str(key), 0)) for key in unknown
    )


def _leave_out(value: Any) -> tuple[str, ...]:
    """The parts of a note that do not count towards a word target (``word_count.leave_out``)."""
    if value is None:
        return DEFAULT_LEFT_OUT
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{PROFILE_NAME}: 'word_count.leave_out' must be a list of parts")
    parts = part_names(value)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ProfileError(
            f"{PROFILE_NAME}: 'word_count.leave_out' names '{unknown[0]}', which is not a part "
            f"of a note (parts: {', '.join(PARTS)})"
        )
    return tuple(dict.fromkeys(parts))


def _library_name(value: Any) -> str:
    """The reference library's file name: a .bib, .bibtex or .json file, or nothing."""
    name = _text(value, "reference_library")
    if name and not name.lower().endswith((".bib", ".bibtex", ".json")):
        raise ProfileError(
            f"{PROFILE_NAME}: 'reference_library' must name a BibTeX (.bib) or CSL-JSON "
            f"(.json) export, not '{name}'"
        )
    return name


@dataclass(frozen=True)
class ProgrammeAnswers:
    """What a new learner says at ``companion init`` beyond name and dates: what the funding
    rules and gateway need (each checked as the profile's own reader checks it)."""

    hours_per_week: str = ""
    age_at_start: int | None = None
    review_every: str = ""
    english_maths_level2: bool = False
    otj_planned_hours: str = ""
    exemption_date: dt.date | None = None
    exemption_confirmed_by: str = ""


def profile_text(
    learner: str,
    start: dt.date | None,
    gateway: dt.date | None,
    content: Content,
    framework: str = "",
    answers: ProgrammeAnswers | None = None,
) -> str:
    """The text of a new ``companion.yaml``, commented so the apprentice can edit it, with
    only the settings the framework has (a level to choose, a gateway to prepare for)."""
    answers = answers or ProgrammeAnswers()
    excluded = ", ".join(DEFAULT_EXCLUDED)
    parts = [
        "# Companion profile: your programme details. This file is yours; edit it freely.\n",
        f"framework: {framework}\n" if framework else "",
        f"learner: {yaml.safe_dump(learner, default_style=None).splitlines()[0]}\n",
        f"programme_start: {start.isoformat() if start else ''}\n",
    ]
    if content.has_gateway:
        parts.append(f"planned_gateway: {gateway.isoformat() if gateway else ''}\n")
    if content.standard.levels:
        levels = ", ".join(
            f"{lv.id} ({lv.rule_text or lv.title})" for lv in content.standard.levels
        )
        parts += [
            f"# Your level: one of {levels}.\n",
            "level: \n",
            "# The optional units you take at that level (the mandatory ones are implied).\n",
            "optional_units: []\n",
        ]
    else:
        units = "\n".join(f'  "{u.id}": portfolio    # {u.title}' for u in content.units)
        parts += [
            "# How each unit is assessed: portfolio or assignment (unit assignment).\n",
            f"units:\n{units}\n",
            "# Leave units assessed by unit assignment out of the AC Evidence Matrix.\n",
            "matrix_leave_out_assignment_units: true\n",
        ]
    if content.has_gateway:
        parts += [
            "# Gateway: confirm when done.\n",
            f"english_maths_level2: {'true' if answers.english_maths_level2 else 'false'}\n",
            "employer_statement: false\n",
        ]
    if content.standard.proposal_sections:
        parts.append(f"proposal_summary: {PROPOSAL_SUMMARY}\n")
    if content.funding is not None:
        parts += [
            "# Off-the-job training and progress reviews (see docs/otj.md). Hours as decimals.\n",
            _commented(
                "hours_per_week",
                answers.hours_per_week,
                "contracted hours a week, without overtime, e.g. 37.5",
            ),
            _commented(
                "age_at_start",
                "" if answers.age_at_start is None else str(answers.age_at_start),
                "your age in whole years when the programme started",
            ),
            _commented(
                "otj_planned_hours",
                answers.otj_planned_hours,
                "the off-the-job total your provider planned",
            ),
            _commented(
                "review_every",
                answers.review_every,
                "your training plan's review interval, e.g. 12 weeks (blank: the rules')",
            ),
            *_exemption_lines(answers),
            "line_manager: \n",
            "tutor: \n",
        ]
    parts += [
        "word_count:\n",
        "  # Sections (by heading) set apart: reference lists and appendices.\n",
        f"  exclude_sections: [{excluded}]\n",
        "  # Parts that do not count towards an assignment's word target (docs/word-count.md).\n",
        f"  leave_out: [{', '.join(DEFAULT_LEFT_OUT)}]\n",
    ]
    return "".join(parts)


def _exemption_lines(answers: ProgrammeAnswers) -> list[str]:
    """The English and maths exemption: as given, or a commented example to fill in."""
    if answers.exemption_date is not None:
        who = yaml.safe_dump(answers.exemption_confirmed_by, default_style=None).splitlines()[0]
        return [
            "# Exempt from English and maths at Level 2 (aged 19 or over at the start).\n",
            "english_maths_exemption:\n",
            f"  date: {answers.exemption_date.isoformat()}\n",
            f"  confirmed_by: {who}\n",
        ]
    return [
        "# Aged 19 or over at the start and exempt from English and maths at Level 2 (from\n",
        "# 11 February 2025)? Remove the # from these three lines and fill them in.\n",
        "# english_maths_exemption:\n",
        "#   date: 2025-09-15\n",
        "#   confirmed_by: Priya Shah (line manager)\n",
    ]


def _commented(key: str, value: str, comment: str) -> str:
    """A ``key: value`` line with its comment lined up, as a person would write it."""
    return f"{key}: {value}".ljust(30) + f"# {comment}\n"


def create_profile(
    portfolio: Path,
    learner: str,
    start: dt.date | None,
    gateway: dt.date | None,
    content: Content,
    framework: str = "",
    answers: ProgrammeAnswers | None = None,
) -> Path:
    """Write a new ``companion.yaml``; refuse to replace an existing one."""
    path = portfolio / PROFILE_NAME
    if path.exists():
        raise ProfileError(f"{path} already exists; edit it instead")
    if start and gateway and gateway <= start:
        raise ProfileError("the planned gateway must be after the programme start")
    portfolio.mkdir(parents=True, exist_ok=True)
    atomic_write(
        path,
        profile_text(learner, start, gateway, content, framework, answers).encode("utf-8"),
        create=True,
    )
    return path
