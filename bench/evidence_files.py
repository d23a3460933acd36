"""Generators of realistic evidence files: Word documents, PDFs, slide decks and recordings.

Companion reads the real files an apprentice keeps in the portfolio, so the example, the
benchmarks and the tests need files that look like an apprentice's: British English
leadership prose with Harvard citations and a reference list, the characters real documents
carry (£, é, curly quotes, en dashes) and the handbook's header or footer with the learner's
name, the date produced and the evidence reference. Making them here, rather than shipping
binaries, keeps the repository small and lets a benchmark make 300 of them.

Every generator is deterministic: the same arguments and seed give the same bytes. Office
files are zips whose entries carry the time they were written, so they are rewritten with
fixed entry dates; PDFs are made with ReportLab's ``invariant`` mode and a fixed date.

Libraries: python-docx, python-pptx and ReportLab (imported only by the generator that needs
it), and DejaVu Sans for the PDFs' Unicode text when the machine has it
(``apt-get install fonts-dejavu-core``; without it Helvetica, whose Windows-1252 encoding
has £, é, curly quotes and dashes but not every character).
"""

from __future__ import annotations

import copy
import io
import math
import random
import re
import wave
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

# ----------------------------------------------------------------------------------------
# Document structure shared by the generators
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading in a document (level 1 or 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table; the first row is its header row."""

    rows: tuple[tuple[str, ...], ...]


PAGE_BREAK = "\f"
"""A block that starts a new page, so a place like "p2" is where the card says it is."""

Block = str | Heading | Table
"""A paragraph (a string), a heading, a table, or :data:`PAGE_BREAK`."""


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: a title, its bullets and the presenter's speaker notes."""

    title: str
    bullets: tuple[str, ...] = ()
    notes: str = ""
    subtitle: str = ""
    """Set on a title slide (which has a subtitle, not bullets)."""


# ----------------------------------------------------------------------------------------
# Prose
# ----------------------------------------------------------------------------------------

REFERENCES: dict[str, str] = {
    "Kotter": "Kotter, J. P. (1996) Leading Change. Boston, MA: Harvard Business School Press.",
    "Schein": "Schein, E. H. (2010) Organizational Culture and Leadership. 4th edn. "
    "San Francisco: Jossey-Bass.",
    "Johnson": "Johnson, G., Whittington, R. and Scholes, K. (2011) Exploring Strategy. "
    "9th edn. Harlow: Pearson.",
    "Lewin": "Lewin, K. (1947) ‘Frontiers in group dynamics’, Human Relations, 1(1), pp. 5–41.",
    "Tuckman": "Tuckman, B. W. (1965) ‘Developmental sequence in small groups’, "
    "Psychological Bulletin, 63(6), pp. 384–399.",
    "Goleman": "Goleman, D. (2000) ‘Leadership that gets results’, Harvard Business Review, "
    "78(2), pp. 78–90.",
    "Bridges": "Bridges, W. (2009) Managing Transitions: Making the Most of Change. 3rd edn. "
    "London: Nicholas Brealey.",
    "Lencioni": "Lencioni, P. (2002) The Five Dysfunctions of a Team. San Francisco: Jossey-Bass.",
    "Senge": "Senge, P. M. (2006) The Fifth Discipline. 2nd edn. London: Random House Business.",
    "Edmondson": "Edmondson, A. C. (2019) The Fearless Organization. Hoboken, NJ: Wiley.",
    "Kübler-Ross": "Kübler-Ross, E. (1969) On Death and Dying. New York: Macmillan.",
    "Mendelow": "Mendelow, A. (1991) ‘Stakeholder mapping’, Proceedings of the 2nd "
    "International Conference on Information Systems. Cambridge, MA.",
    "Carroll": "Carroll, A. B. (1991) ‘The pyramid of corporate social responsibility’, "
    "Business Horizons, 34(4), pp. 39–48.",
    "Hillson": "Hillson, D. and Murray-Webster, R. (2007) Understanding and Managing Risk "
    "Attitude. 2nd edn. Aldershot: Gower.",
}
"""Harvard references (author key → entry) that the generated prose cites."""

_YEARS = {
    "Kotter": "1996",
    "Schein": "2010",
    "Johnson": "2011",
    "Lewin": "1947",
    "Tuckman": "1965",
    "Goleman": "2000",
    "Bridges": "2009",
    "Lencioni": "2002",
    "Senge": "2006",
    "Edmondson": "2019",
    "Kübler-Ross": "1969",
    "Mendelow": "1991",
    "Carroll": "1991",
    "Hillson": "2007",
}
_CITE_NAMES = {
    "Johnson": "Johnson, Whittington and Scholes",
    "Hillson": "Hillson and Murray-Webster",
}

# Sentences with {A} for a cited author (narrative, "Schein (2010)") or {(A)} for a
# parenthetical citation ("(Schein, 2010)"); each names the author it cites.
_SENTENCES: tuple[tuple[str, str], ...] = (
    (
        "Kotter",
        "{A} argues that change stalls when leaders under-communicate the vision by a "
        "factor of ten, and our first depot briefings bore that out.",
    ),
    (
        "Kotter",
        "Creating a sense of urgency was the first step {(A)}: the regulator’s "
        "inspection gave us one that nobody could dispute.",
    ),
    (
        "Schein",
        "{A} distinguishes artefacts, espoused values and basic underlying "
        "assumptions; the assumption that “repairs is a cost, not a service” ran deepest.",
    ),
    (
        "Schein",
        "Culture is what a group has learned as it solved its problems {(A)}, so "
        "changing it meant changing how the depots solved theirs.",
    ),
    (
        "Johnson",
        "Mapping the depots with the Cultural Web {(A)} showed that our stories and "
        "symbols still celebrated firefighting rather than prevention.",
    ),
    (
        "Lewin",
        "In {A}’s terms we were still unfreezing: people accepted the case for change "
        "but had not yet seen what the new routine would ask of them.",
    ),
    (
        "Tuckman",
        "The new hub team moved quickly from forming to storming {(A)}, and I chose "
        "to let the disagreement about rotas surface rather than settle it myself.",
    ),
    (
        "Goleman",
        "I deliberately moved from a pacesetting to a coaching style {(A)} once the "
        "supervisors had the data to run their own huddles.",
    ),
    (
        "Bridges",
        "{A} reminds us that a change is situational while a transition is "
        "psychological; the depot closure was a week’s work, the transition took months.",
    ),
    (
        "Lencioni",
        "Absence of trust sits at the base of the five dysfunctions {(A)}, and the "
        "supervisors told me plainly that they did not yet trust the scheduling data.",
    ),
    (
        "Senge",
        "{A} describes the learning organisation as one that continually expands its "
        "capacity to create its future; our weekly reviews were a small step towards that.",
    ),
    (
        "Edmondson",
        "Psychological safety {(A)} was the condition for operatives to report a "
        "failed first-time fix without fearing blame.",
    ),
    (
        "Kübler-Ross",
        "Some staff went through something close to the change curve "
        "{(A)}: denial, anger and only then exploration of the new hub.",
    ),
    (
        "Mendelow",
        "I used a power–interest grid {(A)} to decide who needed to be managed "
        "closely – the tenants’ panel and the council’s housing lead above all.",
    ),
    (
        "Carroll",
        "{A}’s pyramid helped the board see that our social value commitments were "
        "ethical responsibilities, not philanthropy.",
    ),
    (
        "Hillson",
        "Following {A}, we made the risk appetite explicit before the pilot rather "
        "than discovering it when something went wrong.",
    ),
    (
        "",
        "Damp and mould cases now take 19 days on average to resolve, down from 41 days "
        "when the programme began.",
    ),
    (
        "",
        "The capital budget of £1.2m was confirmed by the Director of Finance, with a "
        "contingency of £85,000 held against contractor price rises.",
    ),
    (
        "",
        "Tenant satisfaction with repairs rose from 61% to 74% over two quarters – still "
        "below the sector median, but moving in the right direction.",
    ),
    (
        "",
        "I met each depot team in person before anything was written down, because people "
        "told us they had heard about the last restructure from the local paper.",
    ),
    (
        "",
        "The café-style drop-in sessions at the hub drew more questions than any email, "
        "and several operatives brought their own ideas for the van stock list.",
    ),
    (
        "",
        "The supervisors’ “right first time” board now sits by the depot door, and the "
        "team updates it themselves every Friday.",
    ),
    (
        "",
        "We agreed three measures with the tenants’ panel: time to first visit, fixes "
        "completed at the first visit, and how satisfied the tenant felt afterwards.",
    ),
    (
        "",
        "The Head of People and I agreed a protégé arrangement so that two senior "
        "operatives shadow the planners for a month before the hub opens.",
    ),
    (
        "",
        "The sensor pilot covered 300 homes; 42 of them flagged humidity above the "
        "threshold within the first month, and 11 had not reported a problem.",
    ),
    (
        "",
        "Contractor costs had run 14% over budget, largely because jobs were raised "
        "twice when the scheduling system could not see the asset database.",
    ),
    (
        "",
        "Involving the trades union representative earlier would have helped; "
        "once he joined, the conversation about rotas became practical rather than positional.",
    ),
    (
        "",
        "The Executive Leadership Team asked for a monthly report, and I offered a "
        "one-page dashboard instead of a long paper so that the discussion could focus on "
        "decisions.",
    ),
    (
        "",
        "Where the data disagreed with what staff told us, we went back to the jobs "
        "themselves – 60 of them, sampled at random – before drawing any conclusion.",
    ),
    (
        "",
        "The risk register now names an owner for every red risk, and each owner reports "
        "on it at the monthly programme board.",
    ),
)


def cite(author: str, *, narrative: bool) -> str:
    """A Harvard citation of ``author``: "Schein (2010)" or "(Schein, 2010)"."""
    name = _CITE_NAMES.get(author, author)
    year = _YEARS[author]
    return f"{name} ({year})" if narrative else f"({name}, {year})"


def _sentence(template: str, author: str) -> str:
    if not author:
        return template
    return template.replace("{A}", cite(author, narrative=True)).replace(
        "{(A)}", cite(author, narrative=False)
    )


def prose(words: int, *, seed: int = 0) -> tuple[list[str], list[str]]:
    """Paragraphs of about ``words`` words, and the authors they cite (in first-cited order).

    Sentences are drawn from a fixed pool by a seeded random generator, three to six to a
    paragraph, so the text reads like a report and is the same for the same seed.
    """
    rng = random.Random(seed)
    paragraphs: list[str] = []
    cited: list[str] = []
    total = 0
    while total < words:
        count = rng.randint(3, 6)
        chosen = [_SENTENCES[rng.randrange(len(_SENTENCES))] for _ in range(count)]
        text = " ".join(_sentence(template, author) for author, template in chosen)
        for author, _ in chosen:
            if author and author not in cited:
                cited.append(author)
        paragraphs.append(text)
        total += len(text.split())
    return paragraphs, cited


def reference_list(authors: Sequence[str]) -> list[str]:
    """The Harvard reference entries for ``authors``, alphabetical as a reference list is."""
    return sorted((REFERENCES[a] for a in authors), key=lambda entry: entry.casefold())


_HEADINGS = (
    "Background and case for change",
    "What I did and why",
    "Working with stakeholders",
    "Risks and how they were managed",
    "Results so far",
    "What I would do differently",
    "Next steps",
)


def prose_blocks(
    words: int,
    *,
    seed: int = 0,
    headings: Sequence[str] | None = None,
    table_rows: Sequence[Sequence[str]] | None = None,
    page_words: int | None = None,
    references: bool = True,
) -> list[Block]:
    """A whole document body: headed sections of prose, an optional table, a reference list.

    ``page_words`` puts a page break after about that many words, so the page count is
    known (a generated PDF has exactly as many pages as the breaks say). The reference list
    holds exactly the works the prose cites.
    """
    paragraphs, cited = prose(words, seed=seed)
    names = list(headings) if headings is not None else list(_HEADINGS)
    blocks: list[Block] = []
    per_section = max(1, math.ceil(len(paragraphs) / max(1, len(names))))
    on_page = 0
    for index, paragraph in enumerate(paragraphs):
        if names and index % per_section == 0 and index // per_section < len(names):
            blocks.append(Heading(names[index // per_section]))
        blocks.append(paragraph)
        if index == 0 and table_rows:
            blocks.append(Table(tuple(tuple(row) for row in table_rows)))
        on_page += len(paragraph.split())
        if page_words and on_page >= page_words and index < len(paragraphs) - 1:
            blocks.append(PAGE_BREAK)
            on_page = 0
    if references and cited:
        blocks.append(Heading("References"))
        blocks.extend(reference_list(cited))
    return blocks


def count_words(blocks: Sequence[Block]) -> int:
    """Words in the paragraphs and headings of ``blocks`` (tables left out)."""
    total = 0
    for block in blocks:
        if isinstance(block, Heading):
            total += len(block.text.split())
        elif isinstance(block, str) and block != PAGE_BREAK:
            total += len(block.split())
    return total


# ----------------------------------------------------------------------------------------
# Zip normalisation (docx and pptx)
# ----------------------------------------------------------------------------------------


def _normalise_zip(path: Path, when: date, replace: dict[str, bytes] | None = None) -> None:
    """Rewrite the zip at ``path`` with every entry dated ``when`` (and some entries replaced).

    python-docx and python-pptx stamp each zip entry with the time of saving, which would
    make every run's file differ; Office does not mind the date a zip entry carries.
    """
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = (replace or {}).get(item.filename, source.read(item.filename))
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, data, compresslevel=9)
    path.write_bytes(out.getvalue())


def _set_app_counts(
    xml: bytes, *, pages: int | None = None, slides: int | None = None, words: int | None = None
) -> bytes:
    """docProps/app.xml with the counts Office would have saved (Pages, Words, Slides)."""
    text = xml.decode("utf-8")
    for tag, value in (("Pages", pages), ("Words", words), ("Slides", slides)):
        if value is not None:
            text = re.sub(f"<{tag}>\\d*</{tag}>", f"<{tag}>{value}</{tag}>", text)
    return text.encode("utf-8")


def _midday(when: date) -> datetime:
    """The moment a file says it was made: midday of ``when`` (naive, read as UTC)."""
    return datetime(when.year, when.month, when.day, 12, 0, 0)


# ----------------------------------------------------------------------------------------
# Word
# ----------------------------------------------------------------------------------------


def make_docx(
    path: Path,
    *,
    title: str,
    blocks: Sequence[Block] | None = None,
    paragraphs: Sequence[str] | None = None,
    words: int | None = None,
    headings: Sequence[str] | None = None,
    table_rows: Sequence[Sequence[str]] | None = None,
    header_text: str = "",
    footer_text: str = "",
    created: date = date(2026, 1, 1),
    author: str = "",
    seed: int = 0,
    references: bool = True,
) -> Path:
    """Write a Word document and return its path.

    The body is ``blocks`` if given; else ``paragraphs`` under ``headings``; else about
    ``words`` words of generated prose (:func:`prose_blocks`). The title is the first
    paragraph (style Title) and the core properties' title. ``header_text`` and
    ``footer_text`` go in the section's header and footer, where the handbook asks for the
    learner's name, date and evidence reference. The page count in docProps/app.xml is the
    number of explicit page breaks plus one, or an estimate of 450 words a page, as Word
    would have saved it.
    """
    import docx
    from docx.enum.text import WD_BREAK

    if blocks is None:
        if paragraphs is not None:
            blocks = _interleave(list(paragraphs), list(headings or ()))
        else:
            blocks = prose_blocks(
                words or 500,
                seed=seed,
                headings=headings,
                table_rows=table_rows,
                references=references,
            )
    document = docx.Document()
    _drop_bulky_parts(document)
    document.add_paragraph(title, style="Title")
    last = None
    for block in blocks:
        if block == PAGE_BREAK:
            target = last if last is not None else document.add_paragraph()
            target.add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Heading):
            last = document.add_heading(block.text, level=block.level)
        elif isinstance(block, Table):
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for row in block.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=False):
                    cell.text = value
            last = None
        else:
            last = document.add_paragraph(block)
    section = document.sections[0]
    if header_text:
        section.header.paragraphs[0].text = header_text
    if footer_text:
        section.footer.paragraphs[0].text = footer_text
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = _midday(created)
    props.modified = _midday(created)
    props.revision = 1
    props.comments = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    breaks = sum(1 for block in blocks if block == PAGE_BREAK)
    word_count = count_words(blocks)
    pages = breaks + 1 if breaks else max(1, math.ceil(word_count / 450))
    app = zipfile.ZipFile(path).read("docProps/app.xml")
    _normalise_zip(
        path,
        created,
        {"docProps/app.xml": _set_app_counts(app, pages=pages, words=word_count)},
    )
    return path


def _interleave(paragraphs: list[str], headings: list[str]) -> list[Block]:
    """Paragraphs spread evenly under ``headings`` (all under none if there are none)."""
    if not headings:
        return list(paragraphs)
    per = max(1, math.ceil(len(paragraphs) / len(headings)))
    blocks: list[Block] = []
    for index, heading in enumerate(headings):
        blocks.append(Heading(heading))
        blocks.extend(paragraphs[index * per : (index + 1) * per])
    return blocks


def _drop_bulky_parts(document: object) -> None:
    """Leave out python-docx's template parts a document does not need.

    The stylesWithEffects part (a Word 2010 copy of the styles, 13 KB compressed) and the
    template's thumbnail make up half of an empty document; Word opens a file without them,
    and the bundled example has to stay small.
    """
    part = document.part  # type: ignore[attr-defined]
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del part.rels[rel_id]
    package = part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]


# ----------------------------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------------------------

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _pdf_font() -> str:
    """The body font for PDFs: DejaVu Sans, embedded, if installed; else Helvetica.

    Headings are set in Helvetica-Bold, one of the fonts every PDF reader has, so a PDF
    embeds one font subset (about 18 KB) rather than two. Helvetica's encoding (Windows-1252)
    has £, é, curly quotes and dashes; anything else is shown as "?" where it is used.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = _DEJAVU / "DejaVuSans.ttf"
    if not regular.is_file():
        return "Helvetica"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
    return "DejaVuSans"


def _cp1252(value: str) -> str:
    """``value`` with the characters Helvetica cannot show replaced by "?"."""
    return "".join(c if c.encode("cp1252", errors="ignore") else "?" for c in value)


def make_pdf(
    path: Path,
    *,
    title: str,
    blocks: Sequence[Block] | None = None,
    pages: int | None = None,
    words: int | None = None,
    headings: Sequence[str] | None = None,
    header_lines: Sequence[str] = (),
    footer_lines: Sequence[str] = (),
    created: date = date(2026, 1, 1),
    author: str = "",
    subject: str = "",
    seed: int = 0,
    references: bool = True,
) -> Path:
    """Write an A4 PDF report and return its path.

    The body is ``blocks`` if given; else generated prose of ``pages`` pages (about 330
    words to a page, each page ended by a break, so the PDF has exactly that many pages
    unless a page overflows) or of about ``words`` words. ``header_lines`` and
    ``footer_lines`` are drawn on every page (the footer with "Page n"), as a word
    processor's running header and footer are. The info dictionary carries ``created`` as
    both CreationDate and ModDate, and the file ID is fixed (ReportLab's invariant mode).
    """
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    regular = _pdf_font()
    bold = "Helvetica-Bold"
    if blocks is None:
        if pages is not None:
            blocks = _paged_blocks(pages, seed=seed, headings=headings, references=references)
        else:
            blocks = prose_blocks(words or 500, seed=seed, headings=headings, references=references)

    def text(value: str, font: str = regular) -> str:
        value = value if font == "DejaVuSans" else _cp1252(value)
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, spaceAfter=6)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=13, leading=17, spaceBefore=8, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=h1, fontSize=11, leading=15)
    title_style = ParagraphStyle(
        "title", fontName=bold, fontSize=17, leading=22, alignment=TA_CENTER, spaceAfter=12
    )
    story: list[object] = [Paragraph(text(title, bold), title_style)]
    for block in blocks:
        if block == PAGE_BREAK:
            story.append(PageBreak())
        elif isinstance(block, Heading):
            story.append(Paragraph(text(block.text, bold), h1 if block.level == 1 else h2))
        elif isinstance(block, Table):
            cells = [[Paragraph(text(value), body) for value in row] for row in block.rows]
            story.extend([PdfTable(cells), Spacer(1, 6)])
        else:
            story.append(Paragraph(text(block), body))
    stamp = created.strftime("D:%Y%m%d120000+00'00'")

    def margins(canvas: object, document: object) -> None:
        canvas.setDateFormatter(lambda *_: stamp)  # type: ignore[attr-defined]
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(regular, 8)  # type: ignore[attr-defined]
        width, height = A4
        for index, line in enumerate(header_lines):
            canvas.drawString(20 * mm, height - 12 * mm - index * 10, text_plain(line))  # type: ignore[attr-defined]
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        lines = [*footer_lines, f"Page {page}"]
        for index, line in enumerate(lines):
            y = 10 * mm + (len(lines) - 1 - index) * 10
            canvas.drawCentredString(width / 2, y, text_plain(line))  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def text_plain(value: str) -> str:
        return value if regular == "DejaVuSans" else _cp1252(value)

    path.parent.mkdir(parents=True, exist_ok=True)
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=22 * mm,
        bottomMargin=24 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="Microsoft® Word for Microsoft 365",
        producer="Microsoft® Word for Microsoft 365",
        invariant=1,
    )
    document.build(story, onFirstPage=margins, onLaterPages=margins)
    return path


def _paged_blocks(
    pages: int, *, seed: int, headings: Sequence[str] | None, references: bool = True
) -> list[Block]:
    """Prose of exactly ``pages`` pages, the last holding a short closing section and the
    reference list of the works cited on every page.

    Each page is ended by a break after about 330 words, which fits an A4 page at 10 pt
    with room to spare, so the page count is known without laying the text out first.
    """
    body = prose_blocks(pages * 480, seed=seed, headings=headings, page_words=330, references=False)
    chunks: list[list[Block]] = [[]]
    for block in body:
        if block == PAGE_BREAK:
            chunks.append([])
        else:
            chunks[-1].append(block)
    kept = chunks[:pages]
    last = kept[-1]
    words = 0
    for index, block in enumerate(last):
        if isinstance(block, str):
            words += len(block.split())
            if words >= 120:
                kept[-1] = last[: index + 1]
                break
    blocks: list[Block] = []
    for number, chunk in enumerate(kept):
        if number:
            blocks.append(PAGE_BREAK)
        blocks.extend(chunk)
    text = " ".join(block for block in blocks if isinstance(block, str))
    cited = [author for author in REFERENCES if f"{_CITE_NAMES.get(author, author)}" in text]
    if references and cited:
        blocks.append(Heading("References"))
        blocks.extend(reference_list(cited))
    return blocks


# ----------------------------------------------------------------------------------------
# PowerPoint
# ----------------------------------------------------------------------------------------


def generated_slides(count: int, *, title: str, seed: int = 0, subtitle: str = "") -> list[Slide]:
    """``count`` slides: a title slide, content slides with bullets and speaker notes, and a
    closing References slide listing the works the notes cite."""
    rng = random.Random(seed)
    slides = [Slide(title, subtitle=subtitle or "Operations briefing")]
    cited: list[str] = []
    for number in range(1, max(1, count - 2) + 1):
        heading = f"{_HEADINGS[(number - 1) % len(_HEADINGS)]}"
        chosen = [_SENTENCES[rng.randrange(len(_SENTENCES))] for _ in range(4)]
        bullets = tuple(_bullet(_sentence(template, author)) for author, template in chosen[:3])
        notes = " ".join(_sentence(template, author) for author, template in chosen)
        for author, _ in chosen:
            if author and author not in cited:
                cited.append(author)
        slides.append(Slide(heading, bullets, notes))
    if count >= 2:
        slides.append(Slide("References", tuple(reference_list(cited) or ["None cited."])))
    return slides[:count]


def _bullet(sentence: str) -> str:
    """A slide bullet from a sentence: its first clause, short as bullets are."""
    words = sentence.split()
    return " ".join(words[:12]).rstrip(",;:–") + ("…" if len(words) > 12 else "")


def make_pptx(
    path: Path,
    *,
    title: str,
    slides: Sequence[Slide] | None = None,
    count: int | None = None,
    footer_text: str = "",
    created: date = date(2026, 1, 1),
    author: str = "",
    seed: int = 0,
) -> Path:
    """Write a slide deck and return its path.

    The slides are ``slides`` if given, else ``count`` generated ones
    (:func:`generated_slides`). ``footer_text`` is put in each slide's footer placeholder,
    copied from its layout as PowerPoint does when "Footer" is ticked, so a reader finds it
    where PowerPoint keeps it (not in a loose text box).
    """
    import pptx

    if slides is None:
        slides = generated_slides(count or 8, title=title, seed=seed)
    deck = pptx.Presentation()
    for index, content in enumerate(slides):
        layout = deck.slide_layouts[0 if index == 0 and content.subtitle else 1]
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = content.title
        body = slide.placeholders[1]
        if content.subtitle:
            body.text = content.subtitle
        else:
            frame = body.text_frame
            for number, bullet in enumerate(content.bullets):
                paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
                paragraph.text = bullet
        if content.notes:
            slide.notes_slide.notes_text_frame.text = content.notes
        if footer_text:
            _add_footer(slide, footer_text)
    _drop_unused_layouts(deck)
    props = deck.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = _midday(created)
    props.modified = _midday(created)
    props.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    deck.save(str(path))
    app = zipfile.ZipFile(path).read("docProps/app.xml")
    _normalise_zip(path, created, {"docProps/app.xml": _set_app_counts(app, slides=len(slides))})
    return path


def _drop_unused_layouts(deck: object) -> None:
    """Leave out the template's layouts no slide uses, and its thumbnail.

    The default template carries eleven layouts; a deck that uses two is a third smaller
    without the rest, which matters for the bundled example.
    """
    layouts = deck.slide_layouts  # type: ignore[attr-defined]
    for layout in list(layouts):
        if not layout.used_by_slides:
            layouts.remove(layout)
    package = deck.part.package  # type: ignore[attr-defined]
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package._rels.pop(rel_id)


def _add_footer(slide: object, footer_text: str) -> None:
    """Copy the layout's footer placeholder onto ``slide`` and put ``footer_text`` in it."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    layout = slide.slide_layout  # type: ignore[attr-defined]
    for placeholder in layout.placeholders:
        if placeholder.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
            element = copy.deepcopy(placeholder._element)
            slide.shapes._spTree.append(element)  # type: ignore[attr-defined]
            break
    else:
        return
    for shape in slide.placeholders:  # type: ignore[attr-defined]
        if shape.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
            shape.text_frame.text = footer_text
            return


# ----------------------------------------------------------------------------------------
# Audio
# ----------------------------------------------------------------------------------------


def make_wav(path: Path, seconds: float, sample_rate: int = 8000, *, seed: int = 0) -> Path:
    """Write a mono 8-bit WAV of ``seconds`` seconds: a quiet tone in speech-like bursts.

    8-bit mono at a low rate keeps a minute under half a megabyte (WAV does not compress),
    and the header carries the duration a reader works out. The bursts are seeded, so the
    same arguments give the same bytes.
    """
    rng = random.Random(seed)
    frames = round(seconds * sample_rate)
    period = max(4, round(sample_rate / 300))  # samples per cycle of a ~300 Hz tone
    cycles = {
        loud: bytes(128 + round(loud * math.sin(2 * math.pi * n / period)) for n in range(period))
        for loud in (0, 6, 9, 12)
    }
    samples = bytearray()
    while len(samples) < frames:
        length = int(sample_rate * rng.uniform(0.12, 0.45))
        cycle = cycles[rng.choice((0, 6, 9, 12))]
        samples += (cycle * (length // period + 1))[:length]
    del samples[frames:]
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(sample_rate)
        out.writeframes(bytes(samples))
    return path


def wav_seconds(path: Path) -> float:
    """The duration of a WAV file in seconds, from its header."""
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / handle.getframerate()


__all__ = [
    "PAGE_BREAK",
    "REFERENCES",
    "Block",
    "Heading",
    "Slide",
    "Table",
    "cite",
    "count_words",
    "generated_slides",
    "make_docx",
    "make_pdf",
    "make_pptx",
    "make_wav",
    "prose",
    "prose_blocks",
    "reference_list",
    "wav_seconds",
]
