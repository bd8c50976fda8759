"""A fresh clone alone must pass: nothing in the code or the tests reads outside the repository.

Reference material that lives beside a checkout (a ``shared`` folder next to it, say) is
not there in a clone, on a build server or in the container; whatever the project needs
from it is copied in (``tests/data/``, ``app/policies/sources/``) with its source noted.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("app", "classifiers", "tests")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".sh", ".txt"}
#: Folders holding third-party text, not code or paths.
SKIPPED = {
    ROOT / "tests" / "data",
    ROOT / "app" / "policies" / "sources",
    ROOT / "classifiers" / "data" / "source",
}

#: A path that climbs out of the repository into the reference folder beside it.
LEAVING = [
    re.compile(r"\.\.[/\\]+shared\b"),  # "../shared/…"
    re.compile(r"""['"]\.\.['"]\s*/\s*['"]shared['"]"""),  # … / ".." / "shared"
    re.compile(r"""parents?\b[^\n]*/\s*['"]shared['"]"""),  # parents[3] / "shared", .parent / "shared"
]


def offending_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if any(p.search(line) for p in LEAVING)]


def scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file() or path == Path(__file__).resolve():
                continue
            if any(folder in path.parents for folder in SKIPPED) or ".venv" in path.parts:
                continue
            files.append(path)
    return files


def test_the_patterns_catch_the_ways_a_path_leaves_the_repository() -> None:
    # The scan below proves nothing unless these would fail it.
    leaving = [
        'SEEDS = Path(__file__).parents[3] / ".." / "shared" / "seeds"',
        'SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"',
        'PNR_FILE = ROOT.parent / "shared" / "data" / "testpersonnummer"',
        "python -m classifiers.pii.gazetteer_build ../shared/data/swedish-ner/train_corpus.txt",
        'seeds = here / ".." / "shared" / "seeds"',
    ]
    assert [line for line in leaving if not offending_lines(line)] == []
    staying = [
        'corpus = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "corpus.jsonl"',
        "Every quote is checked against app/policies/sources/ (shared with the package).",
        'DATA_DIR = Path(__file__).resolve().parent / "data"',
    ]
    assert [line for line in staying if offending_lines(line)] == []


def test_no_code_or_test_reads_outside_the_repository() -> None:
    files = scanned_files()
    assert len(files) > 100  # the scan really covers the code and the tests
    # …including the build scripts that once read the reference folder.
    assert ROOT / "classifiers" / "data" / "build_corpus.py" in files
    assert ROOT / "classifiers" / "pii" / "gazetteer_build.py" in files
    problems = [
        f"{path.relative_to(ROOT)}: {line}"
        for path in files
        for line in offending_lines(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert problems == [], "paths that leave the repository:\n" + "\n".join(problems)


def test_the_shipped_data_is_where_the_tests_read_it() -> None:
    for relative in (
        "tests/data/README.md",
        "tests/data/testpersonnummer/personnummer.json",
        "tests/data/testpersonnummer/samordningsnummer.json",
        "tests/data/swedish-ner/held_out.txt",
        "tests/data/swedish-ner/LICENSE",
        "app/policies/sources/README.md",
    ):
        assert (ROOT / relative).is_file(), relative
