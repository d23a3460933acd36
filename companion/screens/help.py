"""Help: the key map, by screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from companion.widgets.footer import CompanionFooter

HELP = """\
# Keys

*Escape, `q` or `?` closes this help; the arrow keys and Page Up/Down scroll it.*

| Key | Where | What it does |
|---|---|---|
| `d` `u` `n` `k` `f` | anywhere | Dashboard, Units, Notes, KSBs, Flags |
| `g` `p` | anywhere | Gateway readiness check, Proposal summary planner |
| `o` | anywhere | Off-the-job training log and progress reviews |
| `X` (shift+x) | anywhere | Export the Evidence Matrices or the progress export for your tutor |
| `ctrl+p` | anywhere | Command palette: every action by name |
| `r` | anywhere | Re-read notes from disk (changes are also picked up every few seconds) |
| `/` | anywhere but Notes | Search the notes' text; Enter on a result opens the note at that line |
| `?` | anywhere | This help |
| `q` | anywhere | Quit |
| `/` | Notes | Filter: words of a ref, title, type or AC, or `type=minutes date>=2026-01` |
| `s` | Notes | Sort by the next column (or click a column header) |
| `+` | Notes | New note from a template |
| `a` `A` | Notes' files | Add the highlighted evidence file (write its card); add them all |
| `enter` | Notes, Flags | Open the note |
| `t` | Units | Tag evidence to the highlighted AC: pick a note, then say where |
| `t` | Note | Tag the note to an AC |
| `x` | Note | Remove the highlighted tag |
| `a` | Note, Flags | Acknowledge the highlighted warning |
| `e` | Note | Edit the note in `$EDITOR` (else Notepad, TextEdit or nano); re-read after |
| `O` (shift+o) | Note (a card) | Open its evidence file in the system's viewer |
| `enter` | Note's Links, Citations | Open the linked note; go to the citation's line |
| `escape` | Note, dialogs | Back / cancel (a dialog with typed text asks first) |
| `ctrl+s` | Tag dialog | Save the tag |
| `ctrl+s` | Proposal | Save the summary to its file |
| `ctrl+r` | Proposal | Throw away unsaved edits and re-read the file |
| `tab` | Proposal, Export | Next field |
| `ctrl+s` | Export | Write the chosen export |
| `a` | OTJ | Add an off-the-job entry (`ctrl+s` saves the form) |
| `enter` `e` | OTJ | Edit the highlighted entry |
| `delete` | OTJ | Delete the highlighted entry (asks first) |
| `w` | OTJ | Write the review pack and its sign-off file beside the portfolio |
| `i` | OTJ | Import a signed sign-off file from a review |
| `N` (shift+n) | OTJ | Write the record of a progress review held today |

In Units each AC is marked ✔ sufficient, ◐ in progress, · none (not started) or R referred:
your tutor's newest feedback refers it, whatever its evidence, and gateway waits until a
newer feedback decides it again.

The app only ever changes the `evidence` list of a note (and `acknowledge` when you
acknowledge a warning); everything else in your notes stays exactly as you wrote it. It
never writes, moves or renames an evidence file (Word, PDF, slides, recordings): it reads
them, and writes a card beside one only when you add it.
In the proposal summary it changes only the title and the text under its section
headings. In `otj.yaml` it adds an entry at the end, or rewrites only the entry you edit.
"""


class HelpScreen(ModalScreen[None]):
    """The key map."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP, id="help-text")
        yield CompanionFooter()

    def action_close(self) -> None:
        self.dismiss(None)
