"""The signing page in a real browser: an employer signs, and the file imports.

These drive Debian's Chromium (``/usr/bin/chromium``, or ``COMPANION_CHROMIUM``) through
Playwright. Without it they are skipped with the reason, except in CI (``CI=true``), where a
missing browser fails them: the page is only proved by running it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_gateway import ready_portfolio

from companion.content.load import load_content
from companion.review.signoff import parse_signoff, render_signoff

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("COMPANION_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = 'Alex </script><script>window.pwned=1;alert("x")</script> O\'Morgan & co'
LOCAL = ("file:", "data:", "blob:")


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.is_file():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; in CI the browser tests must run", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page, and what it did that a test must see: requests out, dialogs, script errors."""

    page: Any
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    downloads: list[Any] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh page that fails the test on any request leaving the computer."""
    context = browser.new_context(accept_downloads=True)
    seen = Watched(context.new_page())

    def route(handled: Any) -> None:
        url = handled.request.url
        if url.startswith(LOCAL):
            handled.continue_()
        else:
            seen.outside.append(url)
            handled.abort()

    def dialog(shown: Any) -> None:
        seen.dialogs.append(shown.message)
        shown.dismiss()

    seen.page.route("**/*", route)
    seen.page.on("dialog", dialog)
    seen.page.on("pageerror", lambda error: seen.errors.append(str(error)))
    seen.page.on("download", lambda download: seen.downloads.append(download))
    yield seen
    context.close()
    assert seen.outside == [], "the page asked the network for something"
    assert seen.errors == []


def _companion(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_TODAY"}
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _pack(tmp_path: Path, **profile: str) -> tuple[Path, Path]:
    """A portfolio with the record of today's review, and its pack (docx) written outside it."""
    names = {"line_manager": "Jo Smith", "tutor": "Priya Patel"} | profile
    root = ready_portfolio(tmp_path / "p", load_content(), 18, **names)
    made = _companion("reviews", "new", str(root))
    assert made.returncode == 0, made.stderr
    out = tmp_path / "out"
    out.mkdir()
    pack = out / "review.docx"
    made = _companion("review-pack", str(root), "--out", str(pack))
    assert made.returncode == 0, made.stderr
    return root, pack


def _download(page: Any, into: Path) -> str:
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "review.signoff.yaml"
    download.save_as(into)
    return into.read_text(encoding="utf-8")


def test_an_employer_signs_in_the_browser_and_the_review_shows_it(
    watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    root, pack = _pack(tmp_path)
    page.goto((pack.parent / "review.sign.html").as_uri())
    assert page.input_value("#employer-name") == "Jo Smith"
    assert page.input_value("#employer-role") == "line manager"
    assert page.input_value("#employer-date") == dt.date.today().isoformat()
    page.click("#employer-signature")
    page.keyboard.type("jo   SMITH")  # the name as typed: case and spaces do not matter
    page.click("#employer-statement")
    assert page.is_checked("#employer-statement")

    # The signed file replaces the unsigned one beside the pack, as the apprentice saves it.
    signed = pack.parent / "review.signoff.yaml"
    text = _download(page, signed)
    assert "Downloaded review.signoff.yaml" in (page.text_content("#done") or "")
    today = dt.date.today()
    again = parse_signoff(text.encode(), signed.name, today)
    assert text == render_signoff(again)  # exactly the format companion writes
    assert again.signed == ["employer"] and again.parties["employer"].method == "typed-name"
    assert again.statement is not None and again.statement.confirmed

    imported = _companion("signoff", "import", str(signed), str(root))
    assert imported.returncode == 0, imported.stderr
    assert "(signed by employer; employer's statement confirmed)" in imported.stdout
    listed = _companion("reviews", str(root), "--json")
    review = json.loads(listed.stdout)["reviews"][-1]
    assert review["signatures"] == [
        {"role": "employer", "name": "Jo Smith", "date": today.isoformat(), "method": "typed-name"}
    ]
    shown = _companion("reviews", str(root)).stdout
    assert (
        f"employer: Jo Smith on {today.isoformat()}, signed in the browser by typing their name"
    ) in shown


def test_a_signature_that_is_not_the_name_is_refused_on_the_page(
    watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    _, pack = _pack(tmp_path)
    page.goto((pack.parent / "review.sign.html").as_uri())
    page.click("#download")
    assert "Nobody has signed yet" in (page.text_content("#problems") or "")
    page.fill("#employer-signature", "Someone Else")
    page.click("#download")
    problems = page.text_content("#problems") or ""
    assert "the signature must be the name typed exactly as above" in problems
    page.fill("#employer-signature", "")
    page.click("#employer-statement")
    page.click("#download")
    assert "confirmed by the employer signing above" in (page.text_content("#problems") or "")
    page.wait_for_timeout(200)
    assert watched.downloads == []


def test_a_hostile_name_is_shown_as_text_and_signed_as_written(
    watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    root, pack = _pack(tmp_path, learner=HOSTILE)
    page.goto((pack.parent / "review.sign.html").as_uri())
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.input_value("#apprentice-name") == HOSTILE
    assert HOSTILE in (page.text_content("#pack") or "")  # the pack shows it as text
    assert page.locator("script").count() == 2
    page.fill("#apprentice-signature", HOSTILE.upper())
    signed = pack.parent / "review.signoff.yaml"
    data = yaml.safe_load(_download(page, signed))
    assert data["learner"] == HOSTILE
    assert data["parties"]["apprentice"]["name"] == HOSTILE
    assert watched.dialogs == []
    imported = _companion("signoff", "import", str(signed), str(root))
    assert imported.returncode == 0, imported.stderr
