"""The evidence snapshot as a Swedish A4 PDF a registrar can file (diarieföra).

The snapshot's canonical JSON is the evidence; this PDF is its human-readable
rendering and says so: it prints the SHA-256 of that JSON on the first page
and in every footer, so a printed copy can be matched to the stored record.

Comment text is hostile input.  It may hold any Unicode, control characters,
bidi overrides meant to disguise text, or 100,000 characters.  Rendering must
never crash and never *silently* change what the commenter wrote, so:

* Text is drawn with a Unicode TrueType font (see ``_font_choice``).  Any
  character the font cannot draw, every control or format character (NUL,
  U+202E …) and right-to-left script — which would need shaping and bidi
  reordering we do not do, and would otherwise come out as isolated letters in
  the wrong order — is printed as a visible ``[U+XXXX]`` placeholder (long runs
  are summarised), with a note that the JSON holds the exact text.
* Long texts are cut with a note giving how much is shown.
* fpdf2 replaces its page-count alias (``{nb}`` by default) *inside any text*,
  so a commenter writing ``{nb}`` would see it turned into a number; we use an
  alias made of a private-use character, which sanitising always replaces.

Fonts, in order of preference: Noto Sans from the ``fontpkg-noto-sans`` wheel
(a declared dependency, so every machine and the Docker image render alike),
DejaVu Sans from the system (``fonts-dejavu-core``), and finally fpdf2's core
Helvetica, which is Latin-1 only (Swedish letters still work).  The Noto file
is a variable font; instancing a bold weight costs ~3 s, so headings use a
stroked ("faux bold") rendering of the regular weight instead.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from app.assessment import language
from app.platforms.capabilities import label as platform_label
from app.policies.models import ACTION_LABELS_SV

#: How much of each text the PDF shows; the JSON always keeps everything.
MAX_COMMENT_CHARS = 5_000
MAX_OTHER_CHARS = 2_000
MAX_SHORT_CHARS = 300
#: A run of undrawable characters longer than this is summarised, not listed.
MAX_LISTED_CODEPOINTS = 6

STATE_LABELS = {
    "visible": "Synlig",
    "published": "Synlig",
    "hidden": "Dold",
    "removed": "Borttagen",
    "deleted": "Borttagen",
    "pending": "Väntar på beslut",
}
#: Highlight colours for finding spans, cycled per finding (light, so black text stays readable).
HIGHLIGHTS: tuple[tuple[int, int, int], ...] = (
    (255, 236, 140),
    (255, 196, 196),
    (190, 226, 255),
    (205, 240, 200),
    (232, 210, 255),
    (255, 214, 170),
)
#: DEL (U+007F) is a control character, so sanitised text can never contain the alias; it is
#: also Latin-1, so the core-font fallback can carry it until fpdf2 swaps in the page count.
_PAGE_ALIAS = "{\x7fsidor\x7f}"
#: Typographic characters our own Swedish texts use, spelled in ASCII for the Latin-1 fallback.
_ASCII_FALLBACKS = {"–": "-", "—": "-", "…": "...", "”": '"', "“": '"', "’": "'", "‘": "'", "→": "->"}
_RTL_CLASSES = frozenset({"R", "AL", "AN"})
_LINE = 5.2  # mm, body line height at 10 pt


@dataclass(frozen=True, slots=True)
class FontChoice:
    """Which font the PDF uses and what it can draw; ``path`` is ``None`` for the core font."""

    source: str
    path: str | None
    coverage: frozenset[int]


@functools.cache
def _font_choice() -> FontChoice:
    """Pick the first available Unicode font, once per process (reading the cmap costs ~10 ms)."""
    candidates: list[tuple[str, Path]] = []
    try:
        import fontpkg

        candidates.append(("fontpkg-noto-sans", Path(fontpkg.path("Noto Sans"))))
    except Exception:  # noqa: S110 - any failure just means "not installed"; try the next font
        pass
    candidates.append(("system-dejavu", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")))
    for source, path in candidates:
        if path.is_file():
            try:
                from fontTools.ttLib import TTFont

                with TTFont(str(path), lazy=True) as font:
                    cmap = font.getBestCmap() or {}
                return FontChoice(source, str(path), frozenset(cmap))
            except Exception:  # noqa: S112 - a broken font file: fall through to the next choice
                continue
    latin1 = frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100))
    return FontChoice("core-helvetica-latin1", None, latin1)


def font_source() -> str:
    """Which font this process renders with (for the health page and the report)."""
    return _font_choice().source


# --- text sanitising ------------------------------------------------------------------------------


def _drawable(ch: str, coverage: frozenset[int]) -> bool:
    if ch in "\n ":
        return True
    category = unicodedata.category(ch)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return False
    if unicodedata.bidirectional(ch) in _RTL_CLASSES:
        return False
    return ord(ch) in coverage


def _kind(ch: str) -> str:
    return "rtl" if unicodedata.bidirectional(ch) in _RTL_CLASSES else "other"


def _placeholder(run: str, kind: str) -> str:
    points = [ch for ch in run if not ch.isspace()]
    if len(points) <= MAX_LISTED_CODEPOINTS:
        return "[" + " ".join(f"U+{ord(ch):04X}" for ch in points) + "]"
    if kind == "rtl":
        return f"[höger-till-vänster-skrift, {len(points)} tecken, från U+{ord(points[0]):04X}]"
    return f"[{len(points)} tecken som inte kan visas här, från U+{ord(points[0]):04X}]"


class _Sanitizer:
    """Makes text drawable; remembers whether anything had to be replaced (for the note).

    Undrawable characters are grouped into runs so that an Arabic sentence becomes one
    placeholder rather than forty; right-to-left letters (with the spaces between them)
    and everything else (emoji, control and format characters) never share a run, so a
    bidi override next to Arabic text stays visible on its own.
    """

    def __init__(self, coverage: frozenset[int]) -> None:
        self.coverage = coverage
        self.replaced = False

    def __call__(self, text: str | None, *, single_line: bool = False) -> str:
        if not text:
            return ""
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        # NFC so that "a" + combining diaeresis is drawn as one "ä"; display only, the JSON is untouched.
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        run: list[str] = []
        run_kind = ""
        spaces: list[str] = []

        def flush() -> None:
            nonlocal run
            if run:
                out.append(_placeholder("".join(run), run_kind))
                self.replaced = True
                run = []

        for ch in text:
            if single_line and ch == "\n":
                ch = " "
            if ch in _ASCII_FALLBACKS and ord(ch) not in self.coverage:
                ch = _ASCII_FALLBACKS[ch]
            if len(ch) > 1 or _drawable(ch, self.coverage):
                if run and run_kind == "rtl" and ch == " ":
                    spaces.append(ch)  # may join two words of the same right-to-left run
                    continue
                flush()
                out.extend(spaces)
                spaces = []
                out.append(ch)
                continue
            kind = _kind(ch)
            if run and kind == run_kind:
                run.extend(spaces)
            else:
                flush()
                out.extend(spaces)
                run_kind = kind
            spaces = []
            run.append(ch)
        flush()
        out.extend(spaces)
        return "".join(out)


def _cut(text: str | None, limit: int) -> tuple[str, int]:
    """``(shown, total)``: at most ``limit`` characters of ``text``."""
    text = text or ""
    return text[:limit], len(text)


def _cut_note(shown: int, total: int) -> str:
    return (
        f"Texten är förkortad i PDF:en: de första {_number(shown)} av {_number(total)} tecknen visas. "
        "Hela texten finns i bevisunderlagets JSON, som kontrollsumman gäller."
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _when(value: Any) -> str:
    """ISO timestamp → ``2026-03-02 kl. 10:15:00 svensk tid``; anything else as given."""
    if not isinstance(value, str) or not value:
        return "–"
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:64]
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        from zoneinfo import ZoneInfo

        local = parsed.astimezone(ZoneInfo("Europe/Stockholm"))
        return local.strftime("%Y-%m-%d kl. %H:%M:%S") + " svensk tid"
    except Exception:  # no tz database on this machine: UTC is still exact
        return parsed.astimezone(UTC).strftime("%Y-%m-%d kl. %H:%M:%S") + " UTC"


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- highlighting ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    finding: int  # 1-based number in the findings list


def _marks(findings: Sequence[Mapping[str, Any]], text: str) -> tuple[list[_Mark], set[int]]:
    """Valid spans of the findings on ``text``; also the findings whose spans could not be placed."""
    marks: list[_Mark] = []
    unplaced: set[int] = set()
    for number, finding in enumerate(findings, start=1):
        for span in finding.get("spans") or []:
            if not isinstance(span, Mapping):
                continue
            start, end = span.get("start"), span.get("end")
            if (
                isinstance(start, int)
                and isinstance(end, int)
                and not isinstance(start, bool)
                and not isinstance(end, bool)
                and 0 <= start < end <= len(text)
            ):
                marks.append(_Mark(start, end, number))
            else:
                unplaced.add(number)
    return marks, unplaced


def _segments(text: str, marks: Sequence[_Mark]) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """Split ``text`` at every span edge: ``(piece, findings covering it, findings ending after it)``."""
    edges = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces = []
    for left, right in itertools.pairwise(edges):
        covering = tuple(sorted({m.finding for m in marks if m.start <= left and right <= m.end}))
        ending = tuple(sorted({m.finding for m in marks if m.end == right}))
        pieces.append((text[left:right], covering, ending))
    return pieces


# --- the document ---------------------------------------------------------------------------------


class _EvidencePDF(FPDF):
    def __init__(self, footer_text: str, font: FontChoice) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.font_info = font
        self.body_family = "Helvetica"
        if font.path is not None:
            self.add_font("EvidenceSans", "", font.path)
            self.body_family = "EvidenceSans"
        self.alias_nb_pages(_PAGE_ALIAS)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-13)
        self.text_mode = TextMode.FILL
        self.set_font(self.body_family, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Sida {self.page_no()} av {_PAGE_ALIAS}", align="R")
        self.set_text_color(0, 0, 0)


class _Writer:
    """Small layout helpers over fpdf2, so the document reads top to bottom below."""

    def __init__(self, pdf: _EvidencePDF, clean: _Sanitizer) -> None:
        self.pdf = pdf
        self.clean = clean

    def font(self, size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(self.pdf.body_family, "", size)
        if bold:
            self.pdf.text_mode = TextMode.FILL_STROKE
            self.pdf.set_line_width(0.18 * size / 10)
        else:
            self.pdf.text_mode = TextMode.FILL
            self.pdf.set_line_width(0.2)

    def heading(self, text: str, size: float = 12.5) -> None:
        pdf = self.pdf
        if pdf.will_page_break(22):
            pdf.add_page()
        pdf.ln(3)
        self.font(size, bold=True)
        pdf.set_text_color(20, 50, 90)
        pdf.multi_cell(
            0, size * 0.5, self.clean(text, single_line=True), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_draw_color(20, 50, 90)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.6, pdf.w - pdf.r_margin, pdf.get_y() + 0.6)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2.4)
        self.font(10)

    def paragraph(
        self,
        text: str,
        *,
        size: float = 10,
        color: tuple[int, int, int] = (0, 0, 0),
        single_line: bool = False,
    ) -> None:
        self.font(size)
        self.pdf.set_text_color(*color)
        self.pdf.multi_cell(
            0,
            size * 0.52,
            self.clean(text, single_line=single_line),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.pdf.set_text_color(0, 0, 0)

    def note(self, text: str) -> None:
        self.paragraph(text, size=8.5, color=(110, 60, 0))

    def fields(self, rows: Iterable[tuple[str, str]]) -> None:
        pdf = self.pdf
        label_w = 46
        for label, value in rows:
            self.font(9.5, bold=True)
            pdf.set_text_color(70, 70, 70)
            if pdf.will_page_break(_LINE * 2):
                pdf.add_page()
            y, page = pdf.get_y(), pdf.page
            pdf.multi_cell(
                label_w - 2,
                _LINE,
                self.clean(label, single_line=True),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            label_bottom = pdf.get_y()
            self.font(9.5)
            pdf.set_text_color(0, 0, 0)
            pdf.set_xy(pdf.l_margin + label_w, y)
            value_text = self.clean(value, single_line=True) or "–"
            pdf.multi_cell(0, _LINE, value_text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if pdf.page == page:
                pdf.set_y(max(label_bottom, pdf.get_y()))

    def quoted_text(self, text: str | None, limit: int) -> None:
        """A text block (post, parent, earlier version), cut to ``limit``, left-ruled like a quote."""
        if not text:
            self.paragraph("(ingen text)", size=9.5, color=(110, 110, 110))
            return
        shown, total = _cut(text, limit)
        self.flow([(self.clean(shown), None, ())], indent=4)
        if total > len(shown):
            self.note(_cut_note(len(shown), total))

    def flow(
        self,
        runs: Sequence[tuple[str, tuple[int, int, int] | None, tuple[str, ...]]],
        *,
        indent: float = 0,
        size: float = 10.5,
    ) -> None:
        """Lay out ``(text, fill colour, labels after)`` runs word by word.

        fpdf2's ``multi_cell`` cannot give part of a line a background, so highlighted
        spans are drawn as filled cells; words longer than a line are broken anywhere.
        """
        pdf = self.pdf
        # Line up with multi_cell text, which sits one inner cell margin inside the page margins.
        left = pdf.l_margin + pdf.c_margin + indent
        right = pdf.w - pdf.r_margin - pdf.c_margin
        height = size * 0.5
        self.font(size)
        pdf.set_x(left)
        top = pdf.get_y()
        page = pdf.page
        # Cells are measured to the exact string width; fpdf2's default 1 mm inner padding
        # would shift each word right and let the next cell's fill paint over its last letter.
        saved_margin, pdf.c_margin = pdf.c_margin, 0.0

        def newline() -> None:
            pdf.ln(height)
            pdf.set_x(left)

        def put(piece: str, fill: tuple[int, int, int] | None) -> None:
            width = pdf.get_string_width(piece)
            if fill is not None:
                pdf.set_fill_color(*fill)
            pdf.cell(width, height, piece, fill=fill is not None, new_x=XPos.RIGHT, new_y=YPos.TOP)

        for text, fill, labels in runs:
            for word in re.findall(r"\n|[^\S\n]+|[^\s]+", text):
                if word == "\n":
                    newline()
                    continue
                width = pdf.get_string_width(word)
                if word.isspace():
                    if pdf.get_x() <= left + 0.01 and fill is None:
                        continue
                    if pdf.get_x() + width > right:
                        newline()
                        continue
                    put(word, fill)
                    continue
                if pdf.get_x() + width > right and pdf.get_x() > left + 0.01:
                    newline()
                if width <= right - pdf.get_x():
                    put(word, fill)
                    continue
                # Longer than a line: break anywhere, measuring each character once.
                chunk, chunk_width = "", 0.0
                for ch in word:
                    ch_width = pdf.get_string_width(ch)
                    if chunk and pdf.get_x() + chunk_width + ch_width > right:
                        put(chunk, fill)
                        newline()
                        chunk, chunk_width = "", 0.0
                    chunk += ch
                    chunk_width += ch_width
                if chunk:
                    put(chunk, fill)
            for label in labels:
                self.font(size * 0.72, bold=True)
                pdf.set_text_color(150, 20, 20)
                tag = f" [{label}]"
                if pdf.get_x() + pdf.get_string_width(tag) > right:
                    newline()
                pdf.cell(pdf.get_string_width(tag), height, tag, new_x=XPos.RIGHT, new_y=YPos.TOP)
                pdf.set_text_color(0, 0, 0)
                self.font(size)
        newline()
        pdf.c_margin = saved_margin
        if indent and pdf.page == page:
            pdf.set_draw_color(170, 170, 170)
            pdf.line(pdf.l_margin + 1, top, pdf.l_margin + 1, pdf.get_y())
            pdf.set_draw_color(0, 0, 0)
        pdf.ln(1.5)


def render_evidence_pdf(doc: Mapping[str, Any]) -> bytes:
    """Render an evidence snapshot (the dict the evidence service hashes) as PDF bytes.

    The same ``doc`` always gives the same bytes: the creation date is the snapshot
    time and fpdf2's file id is derived from the content.
    """
    font = _font_choice()
    clean = _Sanitizer(font.coverage)
    account = _mapping(doc.get("account"))
    comment = _mapping(doc.get("comment"))
    platform_code = str(account.get("platform") or "")
    platform = platform_label(platform_code) if platform_code else "okänd plattform"
    sha = str(doc.get("sha256") or "")
    evidence_id = str(doc.get("evidence_id") or "")

    pdf = _EvidencePDF(clean(f"Bevis-id {evidence_id} · SHA-256 {sha[:16]}…", single_line=True), font)
    snapshot = _parse_datetime(doc.get("snapshot_at"))
    pdf.set_creation_date(snapshot or datetime(2000, 1, 1, tzinfo=UTC))
    pdf.set_title(f"Bevisunderlag – kommentar på {platform}")
    pdf.set_author("Uppsikt")
    pdf.set_subject(f"SHA-256 {sha}")
    pdf.set_creator("Uppsikt")
    pdf.add_page()
    w = _Writer(pdf, clean)

    # Title and checksum ---------------------------------------------------------------------------
    w.font(17, bold=True)
    pdf.set_text_color(20, 50, 90)
    pdf.multi_cell(
        0,
        8.5,
        clean(f"Bevisunderlag – kommentar på {platform}", single_line=True),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    w.paragraph(
        f"Ögonblicksbild tagen {_when(doc.get('snapshot_at'))} · bevis-id {evidence_id} · "
        f"organisation: {doc.get('tenant') or '–'}",
        size=9,
        color=(80, 80, 80),
        single_line=True,
    )
    pdf.ln(2)
    box_top = pdf.get_y()
    pdf.set_fill_color(238, 242, 248)
    pdf.set_draw_color(20, 50, 90)
    pdf.rect(pdf.l_margin, box_top, pdf.w - pdf.l_margin - pdf.r_margin, 27, style="DF")
    pdf.set_xy(pdf.l_margin + 3, box_top + 2.5)
    w.font(10, bold=True)
    pdf.cell(0, 5, "Kontrollsumma (SHA-256)", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + 3)
    w.font(10.5)
    pdf.cell(0, 6, clean(sha, single_line=True) or "(saknas)", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + 3)
    w.font(8.2)
    pdf.multi_cell(
        pdf.w - pdf.l_margin - pdf.r_margin - 6,
        3.8,
        clean(
            "Kontrollsumman gäller den kanoniska JSON-representationen av ögonblicksbilden "
            "(bevisunderlagets JSON-fil), inte denna PDF. Samma JSON ger alltid samma summa; ändras ett "
            "enda tecken blir summan en annan."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(box_top + 30)

    # Facts ---------------------------------------------------------------------------------------
    post = _mapping(doc.get("post"))
    w.heading("Uppgifter")
    author = comment.get("author_name") or "okänd"
    author_id = comment.get("author_external_id")
    state = str(comment.get("state") or "")
    w.fields(
        [
            ("Organisation", str(doc.get("tenant") or "–")),
            ("Plattform", platform),
            ("Konto", _join(account.get("display_name"), account.get("external_id"))),
            ("Inlägg (id)", str(post.get("external_id") or "–")),
            ("Kommentar (id)", str(comment.get("external_id") or "–")),
            ("Skribent", _join(author, author_id)),
            ("Status", STATE_LABELS.get(state, state or "–")),
            ("Skriven", _when(comment.get("created_at"))),
            ("Mottagen", _when(comment.get("received_at"))),
        ]
    )

    if post:
        w.heading("Inlägget som kommenterades")
        w.quoted_text(_str(post.get("text")), MAX_OTHER_CHARS)
    parent = _mapping(doc.get("parent"))
    if parent:
        w.heading("Kommentaren svarar på")
        w.paragraph(
            _join(parent.get("author_name") or "okänd skribent", parent.get("external_id")),
            size=9,
            color=(80, 80, 80),
            single_line=True,
        )
        w.quoted_text(_str(parent.get("text")), MAX_OTHER_CHARS)

    # The comment ----------------------------------------------------------------------------------
    versions = sorted(
        (_mapping(v) for v in comment.get("versions") or [] if isinstance(v, Mapping)),
        key=_seq,
    )
    latest = versions[-1] if versions else {}
    latest_text = _str(latest.get("text")) or ""
    assessment = _mapping(doc.get("assessment"))
    findings = [_mapping(f) for f in assessment.get("findings") or [] if isinstance(f, Mapping)]

    w.heading(
        f"Kommentarens senaste lydelse (version {latest.get('seq', '–')}, mottagen "
        f"{_when(latest.get('received_at'))})"
        if latest
        else "Kommentarens text"
    )
    shown, total = _cut(latest_text, MAX_COMMENT_CHARS)
    marks, unplaced = _marks(findings, latest_text)
    if not latest_text:
        w.paragraph("(ingen text sparad)", size=9.5, color=(110, 110, 110))
    else:
        runs = []
        for piece, covering, ending in _segments(shown, [m for m in marks if m.start < len(shown)]):
            fill = HIGHLIGHTS[(covering[-1] - 1) % len(HIGHLIGHTS)] if covering else None
            labels = tuple(
                clean(f"{n}: {language.finding_label(findings[n - 1])}", single_line=True) for n in ending
            )
            runs.append((clean(piece), fill, labels))
        w.flow(runs)
        if total > len(shown):
            w.note(_cut_note(len(shown), total))
        if marks:
            w.note("Markerade avsnitt är de som bedömningen bygger på; numret hänvisar till listan nedan.")

    earlier = versions[:-1]
    if earlier:
        w.heading(f"Tidigare versioner ({len(earlier)})")
        for version in reversed(earlier):
            w.paragraph(
                f"Version {version.get('seq', '–')}, mottagen {_when(version.get('received_at'))}",
                size=9,
                color=(80, 80, 80),
            )
            w.quoted_text(_str(version.get("text")), MAX_OTHER_CHARS)

    _images(pdf, w, [_mapping(m) for m in doc.get("images") or [] if isinstance(m, Mapping)])

    # Assessment -----------------------------------------------------------------------------------
    w.heading("Bedömning")
    if not assessment:
        w.paragraph("Ingen automatisk bedömning finns för kommentaren.")
    else:
        marked = language.marked_only(findings)
        codes = [str(c) for c in assessment.get("categories") or []]
        categories = ", ".join(language.category_label(c, marked) for c in codes) or "inga"
        w.fields(
            [
                ("Modellversion", str(assessment.get("model_version") or "–")),
                ("Kategorier", categories),
            ]
        )
        for number, finding in enumerate(findings, start=1):
            pdf.ln(1.5)
            score = finding.get("score")
            score_text = f"{score:.2f}".replace(".", ",") if isinstance(score, int | float) else "–"
            head = f"{number}. {language.finding_label(finding)}"
            if finding.get("subtype"):
                head += f" – {finding.get('subtype')}"
            w.font(10, bold=True)
            pdf.set_fill_color(*HIGHLIGHTS[(number - 1) % len(HIGHLIGHTS)])
            pdf.multi_cell(
                0,
                5.4,
                clean(head, single_line=True),
                fill=True,
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            w.paragraph(
                f"Poäng {score_text} · regel {finding.get('rule_id') or '–'}",
                size=8.5,
                color=(80, 80, 80),
                single_line=True,
            )
            explanation = _str(finding.get("explanation"))
            if explanation:
                w.paragraph(_cut(explanation, MAX_OTHER_CHARS)[0], size=10)
            quotes = [
                _cut(_str(s.get("text")) or "", MAX_SHORT_CHARS)[0]
                for s in finding.get("spans") or []
                if isinstance(s, Mapping)
            ]
            if quotes:
                w.paragraph(
                    "Markerad text: " + " · ".join(f"»{q}«" for q in quotes[:10]),
                    size=9,
                    single_line=True,
                )
            if number in unplaced:
                w.note("Minst ett markerat avsnitt låg utanför texten och kunde inte markeras.")

    recommendation = _mapping(doc.get("recommendation"))
    if recommendation:
        w.heading("Rekommendation enligt riktlinjerna")
        _recommendation(w, recommendation)

    timeline = [_mapping(e) for e in doc.get("timeline") or [] if isinstance(e, Mapping)]
    w.heading("Händelser")
    if not timeline:
        w.paragraph("Inga händelser registrerade.")
    for event in timeline:
        w.fields([(_when(event.get("at")).replace(" svensk tid", ""), str(event.get("event") or "–"))])

    if clean.replaced:
        w.heading("Om tecken som inte visas")
        w.paragraph(
            "Tecken som PDF:en inte kan återge – styr- och formattecken (t.ex. riktningsändringar), "
            "höger-till-vänster-skrift och tecken som saknas i typsnittet – visas som [U+XXXX], "
            "deras kodpunkter i Unicode. Den exakta texten finns i bevisunderlagets JSON.",
            size=9,
        )
    return bytes(pdf.output())


#: Why an image the comment carried is not in the evidence, for the reader.
IMAGE_ERRORS_SV = {
    "too_large": "bilden var större än gränsen för bevisunderlag",
    "not_an_image": "länken ledde inte till en bild",
    "unavailable": "bilden gick inte att hämta",
    "not_fetched": "bilden hämtades inte",
}


def _images(pdf: FPDF, w: _Writer, images: list[dict[str, Any]]) -> None:
    """The images kept with the snapshot, each with its SHA-256 (or why it is missing)."""
    if not images:
        return
    w.heading(f"Bilder i kommentaren ({len(images)})")
    for number, image in enumerate(images, start=1):
        data = image.get("data")
        sha = str(image.get("sha256") or "")
        shown = False
        if isinstance(data, bytes | bytearray):
            try:
                pdf.image(io.BytesIO(bytes(data)), w=70)
                shown = True
            except Exception:  # noqa: S110 - a damaged image is named below, never fatal to the PDF
                pass
        if shown:
            w.paragraph(f"Bild {number} · SHA-256 {sha}", size=8.5, color=(80, 80, 80))
        else:
            why = IMAGE_ERRORS_SV.get(str(image.get("error") or ""), "bilden kunde inte visas")
            w.paragraph(f"Bild {number}: {why}." + (f" SHA-256 {sha}" if sha else ""), size=9)
        w.paragraph(f"Länk: {image.get('url') or '–'}", size=8, color=(110, 110, 110))
        pdf.ln(1)


def _actions_sv(actions: Any) -> str:
    """Actions as an editor reads them, in the order given: "Ta bort, Diarieför"."""
    if not isinstance(actions, list | tuple):
        return ""
    return ", ".join(ACTION_LABELS_SV.get(str(a), str(a)) for a in actions)


def _source_sv(rule: Mapping[str, Any]) -> str:
    source = _str(rule.get("source")) or "riktlinjen"
    line = rule.get("source_line")
    return f"{source}, rad {line}" if isinstance(line, int) and not isinstance(line, bool) else source


def _recommendation(w: _Writer, rec: Mapping[str, Any]) -> None:
    """The policy's recommendation as sentences: what to do, then each rule that applied,
    with the guideline sentence it quotes and where that sentence stands."""
    actions = _actions_sv(rec.get("actions"))
    rules = [_mapping(r) for r in rec.get("rules") or [] if isinstance(r, Mapping)]
    if rec.get("actions") == ["none"]:
        w.paragraph("Riktlinjerna ger inget skäl att åtgärda kommentaren; den kan stå kvar.")
    elif actions:
        w.paragraph(f"Rekommenderade åtgärder: {actions}.")
    elif not rules:
        w.paragraph("Ingen regel i riktlinjerna gällde kommentaren.")
    details = []
    priority = rec.get("priority")
    if priority is not None:
        details.append(f"prioritet {priority} (1 är mest brådskande)")
    if rec.get("due_at"):
        details.append(f"ska hanteras senast {_when(rec.get('due_at'))}")
    if details:
        w.paragraph(details[0][0].upper() + "; ".join(details)[1:] + ".")
    automatic = _actions_sv(rec.get("auto_actions"))
    if automatic:
        w.paragraph(f"Görs automatiskt när kommentaren kommer in: {automatic}.")
    forward_to = rec.get("forward_to")
    if isinstance(forward_to, list | tuple) and forward_to:
        w.paragraph(f"Vidarebefordras till: {', '.join(str(f) for f in forward_to)}.")
    policy = _str(rec.get("policy"))
    for number, rule in enumerate(rules, start=1):
        # The rule's own category: a rule on questions that a language mark matched is that rule.
        category = language.category_label(str(rule.get("category") or "")).lower()
        subtype = rule.get("subtype")
        if isinstance(subtype, list | tuple) and subtype:
            category += f" ({', '.join(str(x) for x in subtype)})"
        rule_actions = _actions_sv(rule.get("actions"))
        verdict = (
            "får kommentaren stå kvar"
            if rule.get("actions") == ["none"]
            else f"rekommenderar den: {rule_actions}"
            if rule_actions
            else "anger den ingen åtgärd"
        )
        w.paragraph(f"{number}. Regeln om {category} gäller; {verdict}.", size=10)
        quote = _str(rule.get("quote"))
        if quote:
            w.paragraph(
                f"»{_cut(quote, MAX_OTHER_CHARS)[0]}« ({_source_sv(rule)})", size=9.5, color=(60, 60, 60)
            )
        note = _str(rule.get("note"))
        if note:
            w.paragraph(f"Anmärkning: {_cut(note, MAX_OTHER_CHARS)[0]}", size=9, color=(80, 80, 80))
    texts = _mapping(rec.get("texts"))
    for kind, lead in (("reply", "Föreslaget svar"), ("notify_author", "Meddelande till skribenten")):
        text = _str(texts.get(kind))
        if text:
            w.paragraph(f"{lead}: »{_cut(text, MAX_OTHER_CHARS)[0]}«", size=9.5)
    for note in rec.get("notes") or []:
        w.note(str(note))
    if policy:
        w.paragraph(f"Riktlinjen: förvalet {policy}.", size=8.5, color=(110, 110, 110))


def _seq(version: Mapping[str, Any]) -> int:
    seq = version.get("seq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _join(name: Any, external_id: Any) -> str:
    name_text = str(name) if name else ""
    if external_id:
        return f"{name_text} (id {external_id})" if name_text else f"id {external_id}"
    return name_text or "–"
