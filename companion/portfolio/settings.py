"""What a portfolio is assessed by: its profile (``companion.yaml``) and its framework.

Both are read when the portfolio is opened; the profile is read again when its file
changes (``reload``), and a scan also watches the OTJ log and the kept sign-offs, which
are not notes but change what the app shows (``logs_changed``). The framework's content
can be loaded when first used: tagging needs only its digest.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from companion.content.bundled import DEFAULT_FRAMEWORK, UnknownFramework, framework_dir
from companion.content.load import content_fingerprint, load_content, load_digest
from companion.portfolio.layout import OTJ_FILE, PROFILE_FILE, SIGNOFF_FOLDER
from companion.portfolio.profile import Profile, ProfileError, load_profile

if TYPE_CHECKING:
    from companion.content.digest import CriteriaDigest
    from companion.content.glossary import Glossary
    from companion.content.model import Content
    from companion.text.mentions import Spellings

FileStamps = tuple[tuple[str, int, int], ...]
"""Files by (name, mtime_ns, size): equal when none of them changed."""


@dataclass(frozen=True)
class Reloaded:
    """What reading ``companion.yaml`` again found."""

    changed: bool = False
    """A new profile is in use."""
    recount: bool = False
    """Its word-count rules changed: every note's words must be counted again."""
    warnings: tuple[str, ...] = ()
    """Warnings not said before, or why the profile read before is kept."""


def _framework_folder(profile: Profile) -> Path:
    try:
        return framework_dir(profile.framework or DEFAULT_FRAMEWORK)
    except UnknownFramework as exc:
        raise ProfileError(f"{PROFILE_FILE}: {exc}") from None


class Settings:
    """The profile and content of the portfolio at ``root`` (see the module docstring)."""

    def __init__(
        self, root: Path, content: Content | None = None, *, content_when_used: bool = False
    ) -> None:
        self.root = root
        self.profile: Profile = load_profile(root)
        self._content = content
        self._framework = None if content is not None else _framework_folder(self.profile)
        if self._framework is not None and not content_when_used:
            self._content = load_content(self._framework)
        self._profile_stamp = self.profile_stamp()
        self._logs_stamp = self._logs()

    @property
    def content(self) -> Content:
        """The qualification this portfolio is assessed against."""
        if self._content is None:
            self._content = load_content(self._framework)
        return self._content

    @property
    def content_fingerprint(self) -> str:
        """The content's ``fingerprint``, without loading the content when it is not loaded
        yet ('' when the content is not from the cache, which turns remembering off)."""
        if self._content is None:
            try:
                return content_fingerprint(self._framework)
            except OSError:
                return ""
        return self._content.fingerprint

    @property
    def criteria(self) -> CriteriaDigest:
        """What tagging needs of the content: the loaded content's digest, or the cached
        digest when the content is not loaded (``companion.content.load.load_digest``)."""
        if self._content is None:
            return load_digest(self._framework)
        return self._content.digest

    @cached_property
    def glossary(self) -> Glossary:
        """The models and theories notes can name; built when tagging first needs it."""
        from companion.content.glossary import load_glossary

        return load_glossary(self.content)

    @cached_property
    def spellings(self) -> Spellings:
        """The glossary's spellings of each model, that a claim's name is looked for by."""
        return self.glossary.spellings

    def profile_stamp(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of ``companion.yaml`` now; None when it cannot be looked at."""
        try:
            stat = (self.root / PROFILE_FILE).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def reload(self) -> Reloaded:
        """Pick up edits to ``companion.yaml`` since it was last read."""
        stamp = self.profile_stamp()
        if stamp == self._profile_stamp:
            return Reloaded()
        self._profile_stamp = stamp
        try:
            profile = load_profile(self.root)
        except ProfileError as exc:
            return Reloaded(warnings=(f"{exc}; keeping the settings read before",))
        recount = profile.word_count != self.profile.word_count
        told = set(self.profile.warnings)
        fresh = tuple(w for w in profile.warnings if w not in told)
        self.profile = profile
        return Reloaded(changed=True, recount=recount, warnings=fresh)

    def logs_changed(self) -> bool:
        """True when the OTJ log or a kept sign-off changed since last asked."""
        logs = self._logs()
        changed, self._logs_stamp = logs != self._logs_stamp, logs
        return changed

    def _logs(self) -> FileStamps:
        """The OTJ log and the kept sign-offs, by size and time."""
        paths = [self.root / OTJ_FILE]
        signoffs = self.root / SIGNOFF_FOLDER
        with contextlib.suppress(OSError):
            paths += sorted(signoffs.iterdir()) if signoffs.is_dir() else []
        stamps = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(stamps)
