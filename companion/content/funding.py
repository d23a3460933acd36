"""The funding rules as dated data: ``funding.yaml`` read strictly, each rule with its source.

The off-the-job minimum, how often progress reviews happen and whether Level 2 English and
maths is needed changed several times, and which rule applies depends on when the apprentice
started (or when the check is made). So each rule is data with the dates it applies to and the
paragraph it comes from, never a constant in code; ``companion.assessment.funding`` chooses one
by date. Like every content file, every key must be one the format has: a misspelt key would
silently drop a rule's value. A framework without ``funding.yaml`` has no funding rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from companion.content.funding_model import (
    Citation,
    Conflict,
    Eligibility,
    EnglishMaths,
    FundingRule,
    FundingRules,
    OtjKind,
    OtjMinimum,
    Term,
)
from companion.content.interval import Interval
from companion.content.located_yaml import LocatedDict, LocatedList, load_located
from companion.content.model import Standard
from companion.content.problems import Problem
from companion.content.reader import Reader
from companion.content.schema import GATEWAY_NEEDS_FUNDING

__all__ = [
    "FUNDING_FILE",
    "Citation",
    "Conflict",
    "FundingRule",
    "FundingRules",
    "Interval",
    "OtjKind",
    "check_funding_needs",
    "read_funding",
]

FUNDING_FILE = "funding.yaml"
TOPICS = (
    "otj-minimum",
    "otj-eligibility",
    "otj-delivery",
    "progress-review",
    "english-maths",
    "minimum-duration",
    "funding-eligibility",
    "terms",
)
KEYED_ON = ("programme_start", "check_date")
SOURCE_KINDS = ("primary", "user-quote-on-dfe-forum", "secondary", "forum-opinion")
OTJ_METHODS = ("percent-of-hours", "hours-per-week", "published-minimum")
DUE = ("same-day", "end-of-month")
CONDITIONS = ("apprenticeship_level_min", "apprenticeship_level", "age_at_programme_start_min")
ROUNDABLE = ("weeks", "hours")

_CITATION_KEYS = ("document", "year", "paragraph", "url", "kind", "quote", "value")
_COMMON_KEYS = (
    "id",
    "topic",
    "text",
    "keyed_on",
    "applies_from",
    "applies_to",
    "conditions",
    "also",
    "conflicts",
    "unsourced",
    "why",
    "rules_year",
    "confirmed",
    "carried_from",
)
_TOPIC_KEYS: dict[str, tuple[str, ...]] = {
    "otj-minimum": ("otj",),
    "otj-eligibility": ("counts", "does_not_count", "tests", "kinds"),
    "otj-delivery": ("interval", "by_delivery_model"),
    "progress-review": (
        "review_interval",
        "attendees",
        "must_cover",
        "sign_off",
        "employer_sign_off_required",
        "during",
        "alternative_allowed",
    ),
    "english-maths": ("english_maths",),
    "minimum-duration": ("minimum_practical_period", "part_time_extension"),
    "funding-eligibility": ("eligibility", "relevance"),
    "terms": ("terms",),
}
_REQUIRED_BLOCK = {
    "otj-minimum": "otj",
    "otj-eligibility": "kinds",
    "otj-delivery": "interval",
    "progress-review": "review_interval",
    "english-maths": "english_maths",
    "minimum-duration": "minimum_practical_period",
    "funding-eligibility": "eligibility",
    "terms": "terms",
}
"""The block each topic's rules must have (it may be ``null`` where the value was not found)."""
_OTJ_KEYS = (
    "method",
    "percent",
    "hours_basis",
    "period",
    "weekly_hours_cap",
    "statutory_leave_excluded",
    "statutory_leave_weeks_per_year",
    "hours",
    "full_time_hours",
    "pro_rata_below",
    "part_time_percent",
    "averaged_over",
    "own_higher_leave_not_used",
    "rounding",
    "round_to_whole",
    "part_time_duration_extension",
    "published_in",
    "floor_hours",
    "reduced_for_prior_learning",
    "linked_to_duration",
    "part_time_extension",
    "published_hours",
    "transitional_period",
)
_OTJ_NEEDS = {
    "percent-of-hours": ("percent",),
    "hours-per-week": ("hours", "full_time_hours", "part_time_percent"),
    "published-minimum": ("floor_hours",),
}
_ENGLISH_MATHS_KEYS = (
    "required",
    "level",
    "when",
    "send_flexibility",
    "optional_if_employer_or_apprentice_wants",
    "decision",
    "existing_apprentices_deadline",
    "evidence",
    "age_16_to_18_at_start",
)
_ELIGIBILITY_KEYS = (
    "funded_if_age_at_start_max",
    "funded_if_care_leaver_or_ehcp_age_at_start_max",
    "starts_before_2026_01_01",
)


# --- reading -------------------------------------------------------------------------


def _number(r: Reader, data: LocatedDict, key: str, what: str) -> Decimal | None:
    """A number as an exact decimal (5.6 is 5.6, not 5.5999...)."""
    value = r.get(data, key, (int, float), required=False, what=what)
    if value is None:
        return None
    number = Decimal(str(value))
    if number < 0:
        r.problem(data.line_of(key), f"'{what}.{key}' must not be negative")
    return number


def _date(r: Reader, data: LocatedDict, key: str, what: str) -> dt.date | None:
    value = r.get(data, key, dt.date, required=False, what=what)
    if isinstance(value, dt.datetime):
        r.problem(data.line_of(key), f"'{what}.{key}' must be a date, not a date and time")
        return value.date()
    return value if isinstance(value, dt.date) else None


def _flag(r: Reader, data: LocatedDict, key: str, what: str) -> bool:
    return bool(r.get(data, key, bool, required=False, default=False, what=what))


def _plain(value: Any) -> Any:
    """A descriptive value as plain Python (mappings and lists unwrapped)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _citation(r: Reader, value: Any, line: int, what: str, *, main: bool) -> Citation:
    data = r.mapping(value, line, what)
    if data is None:
        return Citation()
    r.keys(data, what, _CITATION_KEYS)
    kind = r.text(data, "kind", what=what)
    if kind and kind not in SOURCE_KINDS:
        r.problem(data.line_of("kind"), f"'{what}.kind' must be one of {', '.join(SOURCE_KINDS)}")
    if main:
        r.text(data, "document", what=what)
        if "quote" not in data:
            r.problem(data.line, f"missing required field '{what}.quote'")
    note = data.get("note")
    return Citation(
        document=r.text(data, "document", required=False),
        year=r.text(data, "year", required=False),
        paragraph=r.text(data, "paragraph", required=False),
        url=r.text(data, "url", required=False),
        kind=kind,
        quote=r.text(data, "quote", required=False),
        value=r.text(data, "value", required=False),
        note=note.strip() if isinstance(note, str) else "",
    )


def _citations(r: Reader, data: LocatedDict, key: str, what: str) -> tuple[Citation, ...]:
    value = r.get(data, key, list, required=False, default=[], what=what)
    return tuple(
        _citation(r, item, _item_line(value, i, data), f"{what}.{key}[{i}]", main=False)
        for i, item in enumerate(value)
    )


def _item_line(value: Any, index: int, parent: LocatedDict) -> int:
    return value.line_of(index) if isinstance(value, LocatedList) else parent.line


def _conflicts(r: Reader, rule: LocatedDict, what: str) -> tuple[Conflict, ...]:
    out = []
    for c in r.items(rule, "conflicts", required=False, known=("about", "sides")):
        sides = _citations(r, c, "sides", f"{what}.conflicts")
        note = c.get("note")
        out.append(
            Conflict(
                r.text(c, "about", what="conflict"),
                sides,
                note.strip() if isinstance(note, str) else "",
            )
        )
    return tuple(out)


def _interval(r: Reader, value: Any, line: int, what: str) -> Interval | None:
    if value is None:
        return None
    data = r.mapping(value, line, what)
    if data is None:
        return None
    r.keys(data, what, ("weeks", "calendar_months", "due", "counting", "example"))
    weeks = r.integer(data, "weeks", what=what)
    months = r.integer(data, "calendar_months", what=what)
    if (weeks is None) == (months is None):
        r.problem(data.line, f"'{what}' gives either 'weeks' or 'calendar_months'")
    for count, key in ((weeks, "weeks"), (months, "calendar_months")):
        if count is not None and count < 1:
            r.problem(data.line_of(key), f"'{what}.{key}' must be at least 1")
    due = r.text(data, "due", required=False) or "same-day"
    if due not in DUE:
        r.problem(data.line_of("due"), f"'{what}.due' must be one of {', '.join(DUE)}")
    interval = Interval(weeks, months, due, r.text(data, "counting", required=False))
    example = data.get("example")
    if example is not None and (ex := r.mapping(example, data.line_of("example"), what)):
        r.keys(ex, f"{what}.example", ("review", "next_due"))
        last = _date(r, ex, "review", f"{what}.example")
        stated = _date(r, ex, "next_due", f"{what}.example")
        if last and stated and (weeks or months) and interval.next_due(last) != stated:
            r.problem(
                ex.line,
                f"'{what}.example' says {last.isoformat()} is next due {stated.isoformat()}, but "
                f"the interval gives {interval.next_due(last).isoformat()}",
            )
    return interval


def _otj(r: Reader, value: Any, line: int) -> OtjMinimum | None:
    data = r.mapping(value, line, "otj")
    if data is None:
        return None
    r.keys(data, "otj", _OTJ_KEYS)
    method = r.text(data, "method", what="otj")
    if method and method not in OTJ_METHODS:
        r.problem(data.line_of("method"), f"'otj.method' must be one of {', '.join(OTJ_METHODS)}")
    for needed in _OTJ_NEEDS.get(method, ()):
        if data.get(needed) is None:
            r.problem(data.line, f"an otj method '{method}' needs 'otj.{needed}'")
    rounding = r.str_list(data, "round_to_whole", required=False, what="otj")
    for item in rounding:
        if item not in ROUNDABLE:
            r.problem(
                data.line_of("round_to_whole"),
                f"'otj.round_to_whole' items must be among {', '.join(ROUNDABLE)}",
            )
    transitional = data.get("transitional_period")
    if transitional is not None and (
        tm := r.mapping(transitional, data.line_of("transitional_period"), "otj.transitional")
    ):
        r.keys(tm, "otj.transitional_period", ("applies_to_starts", "standards", "st0480_listed"))
    typed = {
        "method",
        "percent",
        "hours",
        "full_time_hours",
        "part_time_percent",
        "weekly_hours_cap",
        "statutory_leave_excluded",
        "statutory_leave_weeks_per_year",
        "round_to_whole",
        "floor_hours",
        "published_hours",
        "reduced_for_prior_learning",
    }
    return OtjMinimum(
        method=method,
        percent=_number(r, data, "percent", "otj"),
        hours=_number(r, data, "hours", "otj"),
        full_time_hours=_number(r, data, "full_time_hours", "otj"),
        part_time_percent=_number(r, data, "part_time_percent", "otj"),
        weekly_hours_cap=_number(r, data, "weekly_hours_cap", "otj"),
        statutory_leave_excluded=_flag(r, data, "statutory_leave_excluded", "otj"),
        statutory_leave_weeks_per_year=_number(r, data, "statutory_leave_weeks_per_year", "otj"),
        round_to_whole=rounding,
        floor_hours=_number(r, data, "floor_hours", "otj"),
        published_hours=_number(r, data, "published_hours", "otj"),
        reduced_for_prior_learning=_flag(r, data, "reduced_for_prior_learning", "otj"),
        details={k: _plain(v) for k, v in data.items() if k not in typed},
    )


def _kinds(r: Reader, rule: LocatedDict, counts: tuple[str, ...], nots: tuple[str, ...]) -> Any:
    kinds: list[OtjKind] = []
    for item in r.items(rule, "kinds", known=("id", "label", "counts", "under")):
        counted = bool(r.get(item, "counts", bool, what="kind"))
        under = r.text(item, "under", what="kind")
        listed = counts if counted else nots
        if under and under not in listed:
            which = "counts" if counted else "does_not_count"
            r.problem(item.line_of("under"), f"kind 'under' is not an item of '{which}': {under}")
        kinds.append(
            OtjKind(r.text(item, "id", what="kind"), r.text(item, "label"), counted, under)
        )
    return tuple(kinds)


def _english_maths(r: Reader, value: Any, line: int) -> EnglishMaths | None:
    data = r.mapping(value, line, "english_maths")
    if data is None:
        return None
    r.keys(data, "english_maths", _ENGLISH_MATHS_KEYS)
    _date(r, data, "existing_apprentices_deadline", "english_maths")
    r.str_list(data, "evidence", required=False, what="english_maths")
    return EnglishMaths(
        required=bool(r.get(data, "required", bool, what="english_maths")),
        level=r.integer(data, "level", what="english_maths"),
        details={k: _plain(v) for k, v in data.items() if k not in {"required", "level"}},
    )


def _eligibility(r: Reader, value: Any, line: int) -> Eligibility | None:
    data = r.mapping(value, line, "eligibility")
    if data is None:
        return None
    r.keys(data, "eligibility", _ELIGIBILITY_KEYS)
    return Eligibility(
        r.integer(data, "funded_if_age_at_start_max", what="eligibility"),
        r.integer(data, "funded_if_care_leaver_or_ehcp_age_at_start_max", what="eligibility"),
        {k: _plain(v) for k, v in data.items()},
    )


def _conditions(r: Reader, rule: LocatedDict) -> dict[str, int]:
    value = rule.get("conditions")
    if value is None:
        return {}
    data = r.mapping(value, rule.line_of("conditions"), "conditions")
    if data is None:
        return {}
    r.keys(data, "conditions", CONDITIONS)
    return {k: v for k in CONDITIONS if (v := r.integer(data, k, what="conditions")) is not None}


def _topic_blocks(r: Reader, rule: LocatedDict, topic: str) -> dict[str, Any]:
    """The typed values of a rule's topic, as keyword arguments of FundingRule."""
    block = _REQUIRED_BLOCK[topic]
    if block not in rule:
        r.problem(rule.line, f"a '{topic}' rule needs '{block}' (null where it was not found)")
    at = rule.line_of(block)
    out: dict[str, Any] = {}
    if topic == "otj-minimum":
        out["otj"] = _otj(r, rule.get("otj"), at)
    elif topic == "otj-eligibility":
        counts = r.str_list(rule, "counts", what="rule")
        nots = r.str_list(rule, "does_not_count", what="rule")
        r.str_list(rule, "tests", required=False, what="rule")
        out["kinds"] = _kinds(r, rule, counts, nots)
    elif topic in ("otj-delivery", "progress-review"):
        key = "interval" if topic == "otj-delivery" else "review_interval"
        out["interval"] = _interval(r, rule.get(key), at, key)
        for item in r.items(rule, "by_delivery_model", required=False, known=("model", "interval")):
            r.text(item, "model", what="delivery model")
            _interval(r, item.get("interval"), item.line, "by_delivery_model.interval")
    elif topic == "english-maths":
        out["english_maths"] = _english_maths(r, rule.get("english_maths"), at)
    elif topic == "minimum-duration":
        period = r.mapping(rule.get("minimum_practical_period"), at, "minimum_practical_period")
        if period is not None:
            r.keys(period, "minimum_practical_period", ("months", "extend_below_hours"))
            out["minimum_months"] = r.integer(period, "months", required=True, what="period")
            out["extend_below_hours"] = r.integer(period, "extend_below_hours", what="period")
    elif topic == "funding-eligibility":
        out["eligibility"] = _eligibility(r, rule.get("eligibility"), at)
    elif topic == "terms":
        terms = [
            Term(r.text(t, "word", what="term"), r.text(t, "reformed", what="term"))
            for t in r.items(rule, "terms", known=("word", "reformed"))
        ]
        words = [t.word for t in terms]
        for word in sorted({w for w in words if words.count(w) > 1}):
            r.problem(rule.line_of("terms"), f"term '{word}' is given twice")
        out["terms"] = tuple(terms)
    return out


def _read_rule(r: Reader, rule: LocatedDict) -> FundingRule | None:
    topic = r.text(rule, "topic", what="rule")
    if topic not in TOPICS:
        if topic:
            r.problem(rule.line_of("topic"), f"rule topic must be one of {', '.join(TOPICS)}")
        return None
    r.keys(rule, f"a '{topic}' rule", _COMMON_KEYS + ("source",) + _TOPIC_KEYS[topic])
    rule_id = r.text(rule, "id", what="rule")
    keyed_on = r.text(rule, "keyed_on", what="rule")
    if keyed_on and keyed_on not in KEYED_ON:
        r.problem(rule.line_of("keyed_on"), f"'keyed_on' must be one of {', '.join(KEYED_ON)}")
    for bound in ("applies_from", "applies_to"):
        if bound not in rule:
            r.problem(rule.line, f"missing required field 'rule.{bound}' (null when open-ended)")
    start = _date(r, rule, "applies_from", "rule")
    end = _date(r, rule, "applies_to", "rule")
    if start and end and end < start:
        r.problem(rule.line_of("applies_to"), f"rule {rule_id} ends before it starts")
    if "source" not in rule:
        r.problem(rule.line, f"rule {rule_id} has no 'source'")
    source = _citation(r, rule.get("source"), rule.line_of("source"), "source", main=True)
    unsourced = _flag(r, rule, "unsourced", "rule")
    confirmed = bool(r.get(rule, "confirmed", bool, required=False, default=True, what="rule"))
    why = r.text(rule, "why", required=unsourced or not confirmed, what="rule")
    carried = r.text(rule, "carried_from", required=not confirmed, what="rule")
    if carried and confirmed:
        r.problem(
            rule.line_of("carried_from"),
            f"rule {rule_id} gives 'carried_from' but is confirmed: only an unconfirmed value "
            "is carried from another rule",
        )
    typed = {"id", "topic", "text", "keyed_on", "applies_from", "applies_to", "conditions"}
    typed |= {"source", "also", "conflicts", "unsourced", "why", "note", _REQUIRED_BLOCK[topic]}
    typed |= {"rules_year", "confirmed", "carried_from"}
    note = rule.get("note")
    return FundingRule(
        id=rule_id,
        topic=topic,
        text=r.text(rule, "text", what="rule"),
        keyed_on=keyed_on,
        applies_from=start,
        applies_to=end,
        source=source,
        conditions=_conditions(r, rule),
        also=_citations(r, rule, "also", "also"),
        conflicts=_conflicts(r, rule, "rule"),
        unsourced=unsourced,
        why=why,
        rules_year=r.text(rule, "rules_year", required=False),
        confirmed=confirmed,
        carried_from=carried,
        note=note.strip() if isinstance(note, str) else "",
        details={k: _plain(v) for k, v in rule.items() if k not in typed},
        line=rule.line,
        **_topic_blocks(r, rule, topic),
    )


_VALUES = (
    "otj",
    "kinds",
    "interval",
    "english_maths",
    "minimum_months",
    "extend_below_hours",
    "eligibility",
    "terms",
)
"""The values companion calculates with: what an unconfirmed rule carries unchanged."""


def _values(rule: FundingRule) -> tuple[Any, ...]:
    """The values of ``_VALUES``, without their descriptive words (``details``, ``counting``)."""

    def bare(value: Any) -> Any:
        if isinstance(value, Interval):
            return replace(value, counting="")
        return replace(value, details={}) if hasattr(value, "details") else value

    return tuple(bare(getattr(rule, k)) for k in _VALUES)


def _carry(rules: list[FundingRule], path: Path) -> tuple[list[FundingRule], list[Problem]]:
    """An unconfirmed rule carries the values of an earlier rule of its topic, unchanged, and
    names that rule's year for the caveat companion shows with it."""
    problems: list[Problem] = []
    by_id = {r.id: r for r in rules}
    out: list[FundingRule] = []
    for rule in rules:
        if rule.confirmed:
            out.append(rule)
            continue
        carried = by_id.get(rule.carried_from)
        if carried is None or carried.topic != rule.topic:
            problems.append(
                Problem(
                    path,
                    rule.line,
                    f"rule {rule.id} is carried from '{rule.carried_from}', which is not a "
                    f"'{rule.topic}' rule",
                )
            )
        elif rule.applies_from is None or (
            carried.applies_to is None or carried.applies_to >= rule.applies_from
        ):
            problems.append(
                Problem(path, rule.line, f"rule {rule.id} is carried from a later rule")
            )
        elif _values(rule) != _values(carried):
            problems.append(
                Problem(
                    path,
                    rule.line,
                    f"rule {rule.id} is not confirmed, so its values must be those of "
                    f"{carried.id}, which it says it carries",
                )
            )
        if not rule.rules_year:
            problems.append(
                Problem(path, rule.line, f"rule {rule.id} is not confirmed: give its 'rules_year'")
            )
        year = carried.rules_year if carried else ""
        out.append(replace(rule, carried_year=year or (carried.period if carried else "")))
    return out, problems


def _check(rules: list[FundingRule], path: Path) -> list[Problem]:
    """Ids are unique; within a topic rules are keyed alike and their dates never overlap."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for rule in rules:
        if rule.id in seen:
            problems.append(
                Problem(
                    path,
                    rule.line,
                    f"duplicate rule id '{rule.id}' (first at line {seen[rule.id]})",
                )
            )
        seen.setdefault(rule.id, rule.line)
    for topic in TOPICS:
        family = [r for r in rules if r.topic == topic]
        if len({r.keyed_on for r in family}) > 1:
            problems.append(
                Problem(path, family[-1].line, f"the '{topic}' rules are keyed on different dates")
            )
        ordered = sorted(family, key=lambda r: r.applies_from or dt.date.min)
        for before, after in itertools.pairwise(ordered):
            if (
                before.applies_to is None
                or (after.applies_from is not None and after.applies_from <= before.applies_to)
                or after.applies_from is None
            ):
                problems.append(
                    Problem(
                        path,
                        after.line,
                        f"rule {after.id} ({after.period}) overlaps rule {before.id} "
                        f"({before.period}); rules of one topic must not overlap",
                    )
                )
        if topic == "otj-eligibility":
            kinds = [k.id for r in family for k in r.kinds]
            for kind in {k for k in kinds if kinds.count(k) > 1}:
                problems.append(Problem(path, family[0].line, f"duplicate kind id '{kind}'"))
    return problems


def read_funding(path: Path, problems: list[Problem]) -> FundingRules | None:
    """Read ``funding.yaml``, adding every problem to ``problems`` (each with its line)."""
    data, yaml_problems = load_located(path)
    problems.extend(Problem(p.path, p.line, p.message) for p in yaml_problems)
    if data is None:
        if not yaml_problems:
            problems.append(Problem(path, 0, "file is empty"))
        return None
    r = Reader(path, problems)
    root = r.mapping(data, 1, FUNDING_FILE)
    if root is None:
        return None
    r.keys(root, FUNDING_FILE, ("rules",))
    rules = [rule for item in r.items(root, "rules") if (rule := _read_rule(r, item))]
    rules, carry_problems = _carry(rules, path)
    problems.extend(carry_problems)
    problems.extend(_check(rules, path))
    return FundingRules(path, tuple(rules))


def check_funding_needs(
    standard: Standard, std_path: Path, funding: FundingRules | None
) -> list[Problem]:
    """A gateway check that works from funding rules needs a ``funding.yaml`` with that topic."""
    problems = []
    for check in standard.gateway:
        topic = GATEWAY_NEEDS_FUNDING.get(check.id)
        if topic and (funding is None or not funding.topic(topic)):
            problems.append(
                Problem(
                    std_path,
                    0,
                    f"gateway check '{check.id}' needs '{topic}' rules in {FUNDING_FILE}",
                )
            )
    return problems
