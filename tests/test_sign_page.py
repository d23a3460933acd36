"""The signing page written beside a review pack: self-contained, and every value escaped."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from test_gateway import TODAY, ready_portfolio

from companion import clock
from companion.assessment.status import build_status
from companion.content.load import load_content
from companion.exports.review_pack import write_review_pack
from companion.exports.sign_page import CSP, script_json
from companion.portfolio.portfolio import Portfolio

HOSTILE = 'Alex </script><script>alert("x")</script> O\'Morgan & co'


@pytest.fixture(scope="module")
def content():
    return load_content()


def _written(tmp_path: Path, content, fmt: str = "docx", **profile):
    names = {"line_manager": "Jo Smith", "tutor": "Priya Patel"}
    root = ready_portfolio(tmp_path / "p", content, **(names | profile))
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    out = tmp_path / "out"
    out.mkdir()
    with clock.fixed_clock(TODAY):
        return write_review_pack(build_status(portfolio, TODAY), out / f"review.{fmt}", fmt)


def _data(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="signoff-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    return json.loads(found.group(1))


def test_the_page_is_written_beside_the_pack_and_signs_that_pack(content, tmp_path) -> None:
    written = _written(tmp_path, content)
    assert written.page == tmp_path / "out" / "review.sign.html"
    page = written.page.read_text(encoding="utf-8")
    data = _data(page)
    sha = hashlib.sha256(written.pack.read_bytes()).hexdigest()
    assert f"pack: review.docx\npack_sha256: {sha}\nparties:" in data["head"]
    assert data["head"] + "\n" in written.signoff.read_text()  # the file companion wrote
    assert data["file"] == "review.signoff.yaml"
    assert [p["name"] for p in data["parties"]] == ["Alex Morgan", "Jo Smith", "Priya Patel"]
    assert "<h2>Off-the-job training since the last review</h2>" in page  # the pack itself
    assert "<noscript>" in page and "Signing needs JavaScript" in page


def test_the_page_needs_nothing_from_the_network(content, tmp_path: Path) -> None:
    page = _written(tmp_path, content).page.read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP and "connect-src" not in CSP
    for outside in ("http://", "https://", " src=", "href=", "@import", "url(", "//cdn"):
        assert outside not in page
    assert page.count("<script") == 2  # the data, and the page's own script


def test_every_value_on_the_page_is_escaped(content, tmp_path: Path) -> None:
    written = _written(tmp_path, content, learner=HOSTILE)
    page = written.page.read_text(encoding="utf-8")
    assert page.count("</script>") == 2  # no name ends the data early
    assert "<script>alert" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert" in page  # the pack shows it as text
    data = _data(page)
    assert data["parties"][0]["name"] == HOSTILE  # and the form gets it back exactly
    assert "learner: " in data["head"]
    again = yaml.safe_load(data["head"] + "\n")
    assert again["learner"] == HOSTILE


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"name": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><!-- & \u2028"}


def test_a_html_pack_has_its_own_page_too(content, tmp_path: Path) -> None:
    written = _written(tmp_path, content, fmt="html")
    assert written.page.name == "review.sign.html" and written.pack.name == "review.html"
    data = _data(written.page.read_text(encoding="utf-8"))
    sha = hashlib.sha256(written.pack.read_bytes()).hexdigest()
    assert sha in data["head"]
    assert data["review_date"] == TODAY.isoformat()
    assert dt.date.fromisoformat(data["review_date"]) == TODAY
