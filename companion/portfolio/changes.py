"""Every change the app makes to a note: tag, untag and acknowledge a warning.

The CLI and the app alike change notes through here: each change is one locked
transaction on the note (``companion.notes.tags``), recorded in the portfolio's history,
and what it reports is what happened to the file. A front matter block the app added with
a note's first tag is remembered, so that it goes again with the last.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.notes.tags import TagChange, acknowledge_warning, tag_note, untag_note

if TYPE_CHECKING:
    from companion.content.digest import CriteriaDigest
    from companion.notes.file import NoteFile
    from companion.portfolio.store import Store

CREATED_BLOCKS = "created_blocks"
"""State key: notes whose front matter block the app added with their first tag."""


class NoteChanges:
    """Changes to the notes of the portfolio at ``root``.

    ``criteria`` gives what a tag is checked against (asked for at each change: loading
    the content is left until then); ``relative`` gives a note's path in the portfolio,
    refusing a file outside it. Without a ``store`` the changes are made but not recorded.
    """

    def __init__(
        self,
        root: Path,
        store: Store | None,
        criteria: Callable[[], CriteriaDigest],
        relative: Callable[[Path], str],
    ) -> None:
        self.root = root
        self._store = store
        self._criteria = criteria
        self._relative = relative

    def tag(
        self,
        path: Path,
        ac: str,
        *,
        where: str | None = None,
        counts: dict[str, list[str]] | None = None,
        covers: list[str] | None = None,
        since: NoteFile | None = None,
    ) -> TagChange:
        """Tag a note of this portfolio to an AC (see ``companion.notes.tags.tag_note``:
        what is left None keeps the tag's own)."""
        relative = self._relative(path)
        change = tag_note(
            path,
            self._criteria(),
            ac,
            where=where,
            counts=counts,
            covers=covers,
            within=self.root,
            since=since,
        )
        if change.created_block:
            self._remember_block(relative, True)
        assert change.tag is not None
        return self._log(change, "tag", relative, change.tag.ac, where=change.tag.where)

    def untag(self, path: Path, ac: str) -> TagChange:
        """Remove a note's tag; a block the app added for its first tag goes with the last."""
        relative = self._relative(path)
        ours = relative in self._created_blocks()
        change = untag_note(path, self._criteria(), ac, within=self.root, drop_block=ours)
        if ours and change.after.fm_start is None:
            self._remember_block(relative, False)
        assert change.tag is not None
        return self._log(change, "untag", relative, change.tag.ac)

    def acknowledge(self, path: Path, code: str) -> list[str]:
        """Accept a warning on a note: add its code to the note's ``acknowledge`` list."""
        self._relative(path)
        return acknowledge_warning(path, code, within=self.root)

    def _log(
        self, change: TagChange, action: str, relative: str, ac: str, **details: Any
    ) -> TagChange:
        if self._store is None:
            return change
        try:
            self._store.log(action, relative, ac, **details)
        except OSError as exc:
            return replace(
                change,
                warnings=(
                    f"the change was made, but the app's history could not record it "
                    f"({exc.strerror or exc})",
                ),
            )
        return change

    def _created_blocks(self) -> set[str]:
        if self._store is None:
            return set()
        try:
            value = self._store.get_state(CREATED_BLOCKS, [])
        except Exception:
            return set()
        return {str(v) for v in value} if isinstance(value, list) else set()

    def _remember_block(self, relative: str, created: bool) -> None:
        """Note (or forget) that the app added this note's block, read and written in one
        transaction, so that another process remembering its own note at the same moment
        is not forgotten."""
        if self._store is None:
            return

        def change(value: object) -> list[str]:
            blocks = {str(v) for v in value} if isinstance(value, list) else set()
            return sorted(blocks | {relative} if created else blocks - {relative})

        with contextlib.suppress(Exception):  # the note is right either way
            self._store.update_state(CREATED_BLOCKS, change)
