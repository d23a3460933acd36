"""The cyclic garbage collector during start-up: paused while the app is built, then resumed.

Starting the app creates a great many objects that live as long as it does (modules, the
qualification's content, Textual's styles) and next to no garbage. Python's cyclic
collector would walk them again and again while they are created, about a tenth of a second
of each start. So ``companion.launch`` turns collection off until the app is built; then
what exists is frozen out of later collections (``gc.freeze``) and collection resumes,
before anything runs. Other commands get collection back as soon as their handler is loaded,
but for those that only read the notes' records and print (``WITHOUT_COLLECTION`` in
``companion.cli.main``), which keep it paused to the end.
"""

from __future__ import annotations

import gc


def started(*, long_lived: bool = False) -> None:
    """Start-up is over: resume collection, first freezing what exists if it lives on.

    The app calls this with ``long_lived`` once it is built (its modules, content and styles
    last as long as it does); a command calls it once its handler is loaded.
    """
    if long_lived:
        gc.freeze()
    gc.enable()
