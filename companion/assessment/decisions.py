"""The tutor's newest decision on each AC, as the apprentice's screens and commands show it.

A Referral in the newest imported feedback outweighs what the evidence rules say: the AC is
shown as referred, and gateway waits, until a newer feedback decides it again (Pass, or not
yet assessed). Sufficiency is still worked out from the evidence as before; the decision
changes only what the AC is shown as, so the Units tree, the AC pane, ``companion status``,
the dashboard, the matrices and the gateway all read it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.review.feedback import DECISION_LABELS, NOT_ASSESSED, REFERRAL, Feedback

if TYPE_CHECKING:
    from companion.assessment.status import Status

REFERRED = "referred"
"""What a referred AC is shown as, in place of its sufficiency."""


@dataclass(frozen=True)
class Decision:
    """The tutor's decision on one AC in the newest imported feedback."""

    ac: str
    decision: str = NOT_ASSESSED  # pass | referral | not-assessed
    assessor: str = ""
    date: str = ""  # the day it was decided, else the day the feedback was saved; '' if neither
    feedback: str = ""

    @property
    def referred(self) -> bool:
        """True when the tutor referred the AC: it needs more work before gateway."""
        return self.decision == REFERRAL

    @property
    def label(self) -> str:
        """'Pass', 'Referral' or 'Not yet assessed', as the handbook words them."""
        return DECISION_LABELS.get(self.decision, DECISION_LABELS[NOT_ASSESSED])

    @property
    def headline(self) -> str:
        """'Referred by Dr R. Shah on 2026-11-22': who decided and when, in one line."""
        head = "Referred" if self.referred else self.label
        by = f" by {self.assessor}" if self.assessor else " by your tutor"
        on = f" on {self.date}" if self.date else ""
        return f"{head}{by}{on}"


@dataclass(frozen=True)
class Decisions:
    """Every AC's decision in the newest imported feedback (none when there is none)."""

    by_ac: Mapping[str, Decision] = field(default_factory=dict)

    def of(self, ac: str) -> Decision:
        """The decision on ``ac``: not yet assessed when the feedback does not name it."""
        return self.by_ac.get(ac) or Decision(ac)

    def referred(self, ac: str) -> bool:
        """True when the newest feedback refers ``ac``."""
        return self.of(ac).referred

    def shown(self, ac: str, sufficiency: str) -> str:
        """What the AC is shown as: ``referred`` when referred, else its sufficiency."""
        return shown_state(sufficiency, self.of(ac).decision)


def shown_state(sufficiency: str, decision: str) -> str:
    """An AC's state as shown: a Referral outweighs the sufficiency the evidence reaches."""
    return REFERRED if decision == REFERRAL else sufficiency


def criterion_decisions(feedback: Feedback | None) -> Decisions:
    """The decisions in one feedback file, each with who made it and when."""
    if feedback is None:
        return Decisions()
    updated = feedback.updated[:10]
    return Decisions(
        {
            ac: Decision(
                ac, entry.decision, feedback.assessor, entry.date[:10] or updated, entry.feedback
            )
            for ac, entry in feedback.criteria.items()
        }
    )


def status_decisions(status: Status) -> Decisions:
    """The decisions of the status's newest imported feedback (worked out once, then kept)."""
    decisions = status.derived.get("decisions")
    if not isinstance(decisions, Decisions):
        decisions = status.derived["decisions"] = criterion_decisions(status.feedback.current)
    return decisions


def referred_acs(status: Status) -> list[str]:
    """The ACs of the learner's units the newest feedback refers, in the units' order."""
    decisions = status_decisions(status)
    if not decisions.by_ac:
        return []
    return [c.id for unit in status.units for c in unit.criteria if decisions.referred(c.id)]


def referred_line(status: Status) -> str:
    """'Referred: 700/1.3, 702/2.1 — see the tutor's feedback', or '' when none is."""
    referred = referred_acs(status)
    return f"Referred: {', '.join(referred)} — see the tutor's feedback" if referred else ""
