"""One apprentice's export, read-only: units and ACs, with the tutor's decision on each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Header,
    Label,
    Markdown,
    RadioButton,
    RadioSet,
    TextArea,
    Tree,
)

from companion import clock
from companion.errors import CompanionError
from companion.review.cohort_details import (
    FIELDS,
    LABELS,
    CohortDetails,
    read_details,
    save_details,
    with_details,
)
from companion.review.export_shape import ExportCriterion
from companion.review.feedback import (
    DECISION_LABELS,
    DECISIONS,
    NOT_ASSESSED,
    FeedbackError,
    FeedbackFile,
    changed_since_decision,
    header_value,
    new_feedback,
    open_feedback,
    save_feedback,
)
from companion.review.progress_file import LearnerExport
from companion.review.results_sheet import results_document, write_results
from companion.screens.review_details import DetailsModal, SheetDetails
from companion.text.terminal import safe_line
from companion.views.review import (
    ac_label,
    criterion_review_markdown,
    evidence_texts,
    unit_review_markdown,
)
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell
from companion.widgets.safe_input import SafeTextArea

DECISION_KEYS = {"pass": "1", "referral": "2", "not-assessed": "0"}
"""The key for each decision, shown on its radio button."""


class LearnerReviewScreen(Screen[None]):
    """Browse an apprentice's ACs and record Pass / Referral with feedback."""

    CSS_PATH = "review_learner.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Save and go back to the cohort"),
        # Saving is said under the form (and leaving saves), so the footer keeps its room
        # for the decisions at 80 columns; q still quits, after saving.
        Binding("ctrl+s", "save", "Save", priority=True, show=False),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("1", "decide('pass')", "Pass"),
        Binding("2", "decide('referral')", "Referral"),
        Binding("0", "decide('not-assessed')", "Clear", tooltip="Not yet assessed"),
        Binding("e", "edit_feedback", "Feedback", tooltip="Write feedback on this AC"),
        Binding("v", "read_evidence", "Evidence", tooltip="Read the evidence for this AC"),
        Binding("R", "results", "Results", tooltip="Write the Appendix E Results Sheets"),
        Binding("d", "details", "Details", show=False, tooltip="Assessor, centre, registration"),
    ]

    def __init__(self, export: LearnerExport, cohort: Path | None = None) -> None:
        super().__init__()
        self.export = export
        self.cohort = cohort if cohort is not None else export.path.parent
        """The cohort folder, whose companion-cohort.yaml holds the assessor and centre."""
        self.file: FeedbackFile | None = None
        self.target: tuple[str, str] | None = None  # ("ac", id) or ("unit", id)
        self.dirty = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield Tree(cell(self.export.learner), id="review-tree")
            with Vertical(id="review-side"):
                with VerticalScroll(id="review-pane"):
                    yield Markdown("Select a unit or an AC.", id="review-detail")
                with Vertical(id="decision-form"):
                    with RadioSet(id="decision", compact=True):
                        for decision in DECISIONS:
                            label = f"{DECISION_KEYS[decision]} {DECISION_LABELS[decision]}"
                            yield RadioButton(label, id=decision, compact=True)
                    yield Label("Feedback and rationale", id="feedback-label")
                    yield SafeTextArea(id="feedback-text", soft_wrap=True)
                    yield Label("", id="save-state")
        yield CompanionFooter()

    def on_resize(self) -> None:
        self.set_class(self.app.size.height < 32, "-short")

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < 32, "-short")
        self.sub_title = safe_line(f"{self.export.learner} · {self.export.path.name}")
        try:
            self.file = open_feedback(self.export)
        except FeedbackError as exc:
            self.notify(
                f"{exc}. Decisions cannot be recorded until it is fixed or moved.",
                title="Feedback file",
                severity="error",
                timeout=15,
            )
        tree = self.query_one(Tree)
        tree.show_root = False
        changed = self._changed()
        for unit in self.export.units:
            node = tree.root.add(cell(f"{unit['id']} {unit['title']}"), data=("unit", unit["id"]))
            for criterion in unit["criteria"]:
                node.add_leaf(self._label(criterion, changed), data=("ac", criterion["id"]))
        self.query_one("#decision-form").display = False
        self._show_state()
        tree.focus()
        if self.export.units:
            tree.cursor_line = 0
            self.show(("unit", self.export.units[0]["id"]))

    # --- showing -------------------------------------------------------------------

    def _decision(self, ac: str) -> str:
        return self.file.feedback.on(ac).decision if self.file else NOT_ASSESSED

    def _changed(self) -> set[str]:
        """The ACs whose evidence changed since the decision on them."""
        return set(changed_since_decision(self.file.feedback, self.export)) if self.file else set()

    def _label(self, criterion: ExportCriterion, changed: set[str] | None = None) -> Text:
        ac = criterion["id"]
        short = ac.split("/", 1)[-1]
        changed = self._changed() if changed is None else changed
        return cell(ac_label(short, criterion["verb"], self._decision(ac), ac in changed))

    def _refresh_label(self, ac: str) -> None:
        criterion = self.export.criterion(ac)
        if criterion is None:
            return
        for unit_node in self.query_one(Tree).root.children:
            for node in unit_node.children:
                if node.data == ("ac", ac):
                    node.set_label(self._label(criterion))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[tuple[str, str]]) -> None:
        if event.node.data:
            self.show(event.node.data)

    def show(self, target: tuple[str, str]) -> None:
        self.target = target
        kind, ident = target
        form = self.query_one("#decision-form")
        form.display = self.file is not None
        text = self.query_one("#feedback-text", TextArea)
        radios = self.query_one(RadioSet)
        # Without a readable feedback file the form is hidden; an empty record stands in.
        feedback = self.file.feedback if self.file else new_feedback(self.export)
        if kind == "ac":
            markdown = criterion_review_markdown(self.export, ident, feedback)
            radios.display = True
            self.query_one("#feedback-label", Label).update("Feedback and rationale")
            self._press(self._decision(ident))
            wanted = feedback.on(ident).feedback
        else:
            sheet = with_details(feedback, self._cohort_details())
            markdown = unit_review_markdown(self.export, ident, sheet)
            radios.display = False
            self.query_one("#feedback-label", Label).update("Unit comments (optional)")
            wanted = feedback.unit_comments.get(ident, "")
        if text.text != wanted:
            text.load_text(wanted)
        self.query_one("#review-detail", Markdown).update(markdown)

    def _press(self, decision: str) -> None:
        button = self.query_one(f"#{decision}", RadioButton)
        if not button.value:
            button.value = True

    def _show_state(self) -> None:
        if self.file is None:
            state = "Feedback file unreadable: nothing will be saved"
        elif self.dirty:
            state = "● unsaved changes (ctrl+s saves; leaving saves)"
        else:
            where = self.file.path.name
            state = f"Saved in {where}" if self.file.fingerprint else f"Will be saved in {where}"
            if self.file.carried_from is not None and not self.file.fingerprint:
                state = f"Decisions carried over from {self.file.carried_from.name}. {state}"
        self.query_one("#save-state", Label).update(cell(state))

    # --- recording -----------------------------------------------------------------

    def _record(
        self, decision: str | None = None, text: str | None = None, confirm: bool = False
    ) -> None:
        """Record on the selected AC. A new decision, or one confirmed by its key, is made on
        the evidence this export shows (clearing "changed since your decision"); editing the
        feedback alone keeps the evidence the decision was made on."""
        if self.file is None or self.target is None or self.target[0] != "ac":
            return
        ac = self.target[1]
        current = self.file.feedback.on(ac)
        decided = confirm or (decision is not None and decision != current.decision)
        seen = self.export.evidence_sha256(ac) if decided else None
        decision = decision or current.decision
        if (
            decision == current.decision
            and (text is None or text == current.feedback)
            and (seen is None or seen == current.evidence_sha256)
        ):
            return
        self.file.feedback.record(ac, decision, text, clock.today(), seen)
        self.dirty = True
        self._refresh_label(ac)
        self._show_state()
        if decided:
            markdown = criterion_review_markdown(self.export, ac, self.file.feedback)
            self.query_one("#review-detail", Markdown).update(markdown)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.pressed.id in DECISIONS:
            self._record(decision=event.pressed.id)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.file is None or self.target is None:
            return
        kind, ident = self.target
        if kind == "ac":
            self._record(text=event.text_area.text)
        elif self.file.feedback.unit_comments.get(ident, "") != event.text_area.text:
            self.file.feedback.unit_comments[ident] = event.text_area.text
            self.dirty = True
            self._show_state()

    def action_decide(self, decision: str) -> None:
        if self.target and self.target[0] == "ac" and self.file is not None:
            self._press(decision)
            self._record(decision=decision, confirm=True)
            self.show(self.target)

    def action_read_evidence(self) -> None:
        """Open the selected AC's evidence, each at the place its tag points to."""
        from companion.screens.review_evidence import EvidenceScreen

        if self.target is None or self.target[0] != "ac":
            self.notify("Select an AC to read its evidence.", severity="warning")
            return
        ac = self.target[1]
        criterion = self.export.criterion(ac)
        evidence = evidence_texts(self.export, ac)
        if not evidence:
            self.notify(f"No evidence is tagged to {ac}.", severity="warning")
            return
        if not self.export.with_notes:
            self.notify(
                "This export was made without the notes' text; ask for one made with "
                "'companion export progress --with-notes'.",
                title="No text to read",
                severity="warning",
                timeout=10,
            )
            return
        self.app.push_screen(EvidenceScreen(ac, criterion["verb"] if criterion else "", evidence))

    def action_edit_feedback(self) -> None:
        if self.file is not None and self.target is not None:
            self.query_one("#feedback-text", TextArea).focus()

    def flush(self) -> bool:
        """Save pending changes; False (with a message) when they could not be saved."""
        if not self.dirty or self.file is None:
            return True
        try:
            self.file = save_feedback(self.file)
        except FeedbackError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=15)
            return False
        self.dirty = False
        self._show_state()
        return True

    def action_save(self) -> None:
        if self.flush():
            self.notify(f"Saved {self.file.path.name}" if self.file else "Nothing to save")

    def action_back(self) -> None:
        if self.focused is self.query_one("#feedback-text", TextArea):
            self.query_one(Tree).focus()
            return
        if self.flush():
            self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Save feedback", "Write the feedback file now", self.action_save)
        for decision in DECISIONS:
            yield SystemCommand(
                f"Decide: {DECISION_LABELS[decision]}",
                "Record this decision on the selected AC",
                lambda d=decision: self.action_decide(d),
            )
        yield SystemCommand(
            "Read the evidence",
            "The selected AC's evidence, from where it meets the AC",
            self.action_read_evidence,
        )
        yield SystemCommand(
            "Results Sheet details",
            "Assessor and centre (for the cohort), the learner's registration",
            self.action_details,
        )
        yield SystemCommand(
            "Write Results Sheets",
            "Appendix E Results Sheets beside the export (Word)",
            self.action_results,
        )
        yield SystemCommand("Back to cohort", "Save and go back", self.action_back)

    # --- the Results Sheets ----------------------------------------------------------

    def _cohort_details(self) -> CohortDetails:
        try:
            return read_details(self.cohort)
        except FeedbackError as exc:
            self.notify(str(exc), title="Cohort details", severity="error", timeout=10)
            return CohortDetails()

    def action_details(self, then_results: bool = False) -> None:
        """Set the assessor and centre (for the cohort) and the learner's registration."""
        if self.file is None:
            self.notify("The feedback file cannot be read; fix it first.", severity="error")
            return
        shown = with_details(self.file.feedback, self._cohort_details())
        modal = DetailsModal(
            CohortDetails(*(getattr(shown, key) for key in FIELDS)),
            shown.learner_registration,
            learner=self.export.learner,
            save_label="Save and write the sheets" if then_results else "Save",
        )

        def saved(details: SheetDetails | None) -> None:
            if details is not None and self._keep_details(details) and then_results:
                self._write_results()

        self.app.push_screen(modal, saved)

    def _keep_details(self, details: SheetDetails) -> bool:
        """Save the cohort's details beside the exports and the learner's in their file."""
        if self.file is None:
            return False
        try:
            save_details(self.cohort, details.cohort)
            feedback = self.file.feedback
            for key in FIELDS:
                setattr(feedback, key, header_value(getattr(details.cohort, key), LABELS[key]))
            feedback.learner_registration = header_value(
                details.registration or "", "learner registration"
            )
        except FeedbackError as exc:
            self.notify(str(exc), title="Details not saved", severity="error", timeout=10)
            return False
        self.dirty = True
        return self.flush()

    def action_results(self) -> None:
        """Write every unit's Results Sheet beside the export, as Word; first ask for the
        details a sheet needs when any is missing."""
        if self.file is None or getattr(self.app, "content", None) is None:
            self.notify("No feedback or content to make Results Sheets from", severity="error")
            return
        shown = with_details(self.file.feedback, self._cohort_details())
        if not all(getattr(shown, key) for key in (*FIELDS, "learner_registration")):
            self.action_details(then_results=True)
            return
        self._write_results()

    def _write_results(self) -> None:
        content = getattr(self.app, "content", None)
        if self.file is None or content is None:
            return
        if not self.flush():
            return  # the decisions could not be saved: they stay on screen, nothing else runs
        out = self.export.path.with_name(self.export.path.stem + ".results.docx")
        feedback = with_details(self.file.feedback, self._cohort_details())
        try:
            document = results_document(feedback, content, [])
            write_results(document, "docx", out, within=self.export.path.parent)
        except CompanionError as exc:
            self.notify(exc.message, title="Results Sheets not written", severity="error")
            return
        except OSError as exc:
            self.notify(
                str(exc.strerror or exc), title="Results Sheets not written", severity="error"
            )
            return
        self.notify(f"Wrote {out.name}", title="Results Sheets")
