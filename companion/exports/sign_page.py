"""The signing page: one HTML file beside the pack that people sign in any browser, offline.

An employer rarely has companion, and editing YAML by hand is where sign-offs go wrong. The
page shows the pack itself (the same document, as HTML) and a form for each person; typing
their full name signs, and a button makes the sign-off file in the browser, in the format
companion writes, to send back to the apprentice. Nothing leaves the computer: no server,
no network, and a Content-Security-Policy that allows only the page's own inline script and
style (and the blob: the download is made from).

Every value from the portfolio reaches the page escaped: the pack through the HTML writer,
and the form's data as JSON in a ``<script type="application/json">`` with ``<``, ``>`` and
``&`` escaped, which the script reads and puts on the page with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass

from companion.documents.model import Document
from companion.documents.writers import HTML_CSS, html_content
from companion.portfolio.templates import PARTIES
from companion.review.signoff import (
    STATEMENT,
    STATEMENT_HEAD,
    TYPED_NAME,
    SignOff,
    party_head,
    render_head,
    yaml_value,
)

SIGN_PAGE_SUFFIX = ".sign.html"
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; media-src data: blob:; form-action 'none'; base-uri 'none'"
)
"""Only the page's own script and style; data: and blob: for the file it downloads."""

AGREES = {
    "apprentice": "I took part in this progress review and agree that this pack is a fair "
    "record of my progress.",
    "employer": "I took part in this progress review and agree that this pack is a fair "
    "record of the apprentice's progress.",
    "provider": "I took part in this progress review and agree that this pack is a fair "
    "record of the apprentice's progress.",
}
"""What each person signs, shown above their signature."""


@dataclass(frozen=True)
class PageParty:
    """One person's form on the page, and the line that opens their fields in the file."""

    key: str
    label: str
    name: str
    role: str
    agrees: str
    head: str


@dataclass(frozen=True)
class PageData:
    """Everything the page's script needs, embedded as JSON."""

    file: str
    head: str
    parties: list[PageParty]
    statement: str
    statement_head: list[str]
    statement_text: str
    review_date: str
    method: str = TYPED_NAME


def page_data(signoff: SignOff, file_name: str) -> PageData:
    """The form's data from the unsigned sign-off companion writes beside the pack."""
    parties = []
    for key, label in PARTIES:
        party = signoff.parties.get(key)
        parties.append(
            PageParty(
                key,
                label,
                party.name if party else "",
                party.role if party else "",
                AGREES[key],
                party_head(key, label),
            )
        )
    statement = signoff.statement.text if signoff.statement else STATEMENT
    return PageData(
        file=file_name,
        head="\n".join(render_head(signoff)),
        parties=parties,
        statement=statement,
        statement_head=list(STATEMENT_HEAD),
        statement_text=f"  text: {yaml_value(statement)}",
        review_date=signoff.review_date.isoformat() if signoff.review_date else "",
    )


def script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left to end it."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def sign_page(doc: Document, signoff: SignOff, file_name: str) -> str:
    """The signing page for the pack ``doc``, whose unsigned sign-off is ``signoff``;
    the file it downloads is called ``file_name``."""
    data = script_json(asdict(page_data(signoff, file_name)))
    title = html.escape(f"Sign: {doc.title} ({signoff.learner})")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",
            f"<style>{HTML_CSS}{_PAGE_CSS}</style></head><body>",
            "<main>",
            '<section id="pack" aria-label="The review pack">',
            *html_content(doc),
            "</section>",
            '<section id="sign" aria-labelledby="sign-title">',
            '<h2 id="sign-title">Sign this review</h2>',
            "<noscript><p><strong>Signing needs JavaScript.</strong> You can read the pack "
            "without it; to sign, open this page in a browser with JavaScript on, or fill in "
            f"{html.escape(file_name)} by hand.</p></noscript>",
            '<p id="how">Each person checks the pack above, then types their full name to '
            "sign. When everyone here has signed, download the signed file and send it to "
            "the apprentice, who imports it with companion beside the pack. Nothing you type "
            "leaves this computer.</p>",
            '<form id="signoff-form" novalidate></form>',
            '<p id="problems" role="alert"></p>',
            '<p id="done" role="status"></p>',
            "</section>",
            "</main>",
            f'<script type="application/json" id="signoff-data">{data}</script>',
            f"<script>{_SCRIPT}</script>",
            "</body></html>",
        ]
    )


_PAGE_CSS = """
#sign fieldset { border: 1px solid #999; margin: 1em 0; padding: 0.5em 1em; }
#sign legend { font-weight: bold; }
#sign label { display: block; margin: 0.4em 0; }
#sign input[type=text], #sign input[type=date] { font: inherit; padding: 0.2em; min-width: 18em; }
#sign .agrees { font-style: italic; }
#sign button { font: inherit; padding: 0.4em 1em; margin-top: 0.5em; }
#problems { color: #a00; font-weight: bold; white-space: pre-line; }
@media print { #sign { display: none; } }
"""

_SCRIPT = r"""
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("signoff-data").textContent);
  var form = document.getElementById("signoff-form");
  var problems = document.getElementById("problems");
  var done = document.getElementById("done");
  var controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
  var reserved = /^(y|n|yes|no|true|false|on|off|null|~)$/i;
  var plain = /^[\p{L}][\p{L}\p{M} .'\-]*[\p{L}\p{M}.]$|^\p{L}$/u;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function tidy(text) { return text.trim().split(/\s+/).filter(Boolean).join(" "); }
  function same(a, b) { return tidy(a).toLowerCase() === tidy(b).toLowerCase(); }
  function quote(text) {
    if (text === "") { return ""; }
    if (plain.test(text) && !reserved.test(text)) { return text; }
    return "'" + text.replace(/'/g, "''") + "'";
  }
  function line(key, value) { return (key + ": " + value).replace(/\s+$/, ""); }
  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }
  function field(fieldset, id, label, type, value, hint) {
    var wrap = el("label", { "for": id }, label);
    var input = el("input", { id: id, name: id, type: type, autocomplete: "off" });
    input.value = value;
    if (hint) { input.setAttribute("placeholder", hint); }
    wrap.appendChild(document.createElement("br"));
    wrap.appendChild(input);
    fieldset.appendChild(wrap);
    return input;
  }

  var inputs = {};
  data.parties.forEach(function (party) {
    var box = el("fieldset", { id: "party-" + party.key });
    box.appendChild(el("legend", {}, party.label));
    var got = {
      name: field(box, party.key + "-name", "Name", "text", party.name, "full name"),
      role: field(box, party.key + "-role", "Role", "text", party.role, ""),
      date: field(box, party.key + "-date", "Date (YYYY-MM-DD)", "date", today(), ""),
    };
    box.appendChild(el("p", { "class": "agrees" }, party.agrees));
    got.signature = field(box, party.key + "-signature",
      "Type your full name to sign", "text", "", "your full name, as above");
    if (party.key === "employer") {
      var wrap = el("label", { "for": "employer-statement" });
      got.statement = el("input", { id: "employer-statement", type: "checkbox" });
      wrap.appendChild(got.statement);
      wrap.appendChild(document.createTextNode(" At the last review before gateway: "));
      wrap.appendChild(el("strong", {}, data.statement));
      box.appendChild(wrap);
    }
    inputs[party.key] = got;
    form.appendChild(box);
  });
  var button = el("button", { id: "download", type: "submit" }, "Download the signed file");
  form.appendChild(button);

  function check(text, what, wrong) {
    if (controls.test(text)) { wrong.push(what + " holds control characters"); }
    if (text.length > 200) { wrong.push(what + " is longer than 200 characters"); }
  }

  function build() {
    var wrong = [];
    var lines = data.head.split("\n");
    var anyone = false;
    var employer = null;
    data.parties.forEach(function (party) {
      var got = inputs[party.key];
      var name = tidy(got.name.value);
      var role = tidy(got.role.value);
      var date = got.date.value.trim();
      var typed = got.signature.value;
      var signs = tidy(typed) !== "";
      check(name, party.label + ": the name", wrong);
      check(role, party.label + ": the role", wrong);
      check(typed, party.label + ": the signature", wrong);
      if (signs) {
        if (!name) { wrong.push(party.label + ": fill in the name before signing"); }
        else if (!same(typed, name)) {
          wrong.push(party.label + ": the signature must be the name typed exactly as above");
        }
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
          wrong.push(party.label + ": the date must be like 2026-03-02");
        } else if (data.review_date && date < data.review_date) {
          wrong.push(party.label + ": the date is before the review on " + data.review_date);
        } else if (date > today()) {
          wrong.push(party.label + ": the date is in the future");
        }
        anyone = true;
      }
      lines.push(party.head);
      lines.push(line("    name", quote(name)));
      if (role) { lines.push(line("    role", quote(role))); }
      lines.push(line("    date", signs ? date : ""));
      lines.push("    signed: " + (signs ? "true" : "false"));
      if (signs) { lines.push("    method: " + data.method); }
      if (party.key === "employer") { employer = { name: name, date: date, signs: signs }; }
    });
    var confirmed = inputs.employer && inputs.employer.statement.checked;
    if (confirmed && !(employer && employer.signs)) {
      wrong.push("The employer's statement is confirmed by the employer signing above");
    }
    if (!anyone && !confirmed) { wrong.push("Nobody has signed yet: type your full name to sign"); }
    data.statement_head.forEach(function (text) { lines.push(text); });
    lines.push(data.statement_text);
    lines.push("  confirmed: " + (confirmed ? "true" : "false"));
    lines.push(line("  name", quote(employer ? employer.name : "")));
    lines.push(line("  date", confirmed ? employer.date : ""));
    return { wrong: wrong, text: lines.join("\n") + "\n" };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var made = build();
    problems.textContent = made.wrong.join("\n");
    done.textContent = "";
    if (made.wrong.length) { return; }
    var blob = new Blob([made.text], { type: "application/x-yaml" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: data.file });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    done.textContent = "Downloaded " + data.file + ". Send it to the apprentice to import "
      + "with the pack beside it.";
  });
})();
"""
