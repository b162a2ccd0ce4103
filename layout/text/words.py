"""Word boundaries for display lines: one function, `word_spans`, behind which the segmenter sits.

Display lines (headlines, decks, sub-heads, teasers, captions, box-ad lines) must not break inside
a word (issue 15). The segmenter is jieba (dictionary only, HMM off) run on a Simplified copy of
the text made by OpenCC's t2s table. Why this combination, measured on the sample's 109 display
texts and the issue's examples:

- jieba's dictionary is Simplified. On the sample's Traditional text directly, dictionary-only
  jieba finds almost nothing (軌/道/環/線…, 合唱/團, 自行/車), and with its HMM on it makes up
  words across boundaries (串聯九個, 社區長, 勇奪業); either way the issue's broken words stay broken.
- Converted by OpenCC first (a character-for-character table for this text: the sample's
  Traditional characters are printed with mainland glyphs, so the Traditional spelling is the one
  that reaches the page), jieba keeps 人工智能, 合唱團, 自行車, 愛好者, 家門口, 交響樂團 whole.
- HMM stays off: it glues unknown characters into invented words (紙修, 米設, 券限, 渝/江有),
  which would forbid good breaks; a character the dictionary does not know stays breakable.
  Names and places the dictionary lacks come from the user dictionary: `words.txt` next to this
  file (terms of newspaper Chinese) plus the edition's own `words:` list.

Deterministic (dictionary only, no randomness), no network, loaded lazily once per process and
per user-word list (the base dictionary is loaded once and shared, the words of each list laid
over it), and only for a display text whose spans are not in the build cache yet (`word_spans`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import warnings
from functools import lru_cache
from importlib import resources

# Word frequency given to user words: high enough that a user word wins over the dictionary's split.
USER_FREQ = 100_000


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """A Simplified copy of `text` with the same length (character for character), so spans found
    in it are spans of `text`. Where the phrase table changes the length, convert one character at
    a time and keep any character whose conversion is not a single character."""
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = conv.convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


def _shipped_words() -> tuple[str, ...]:
    text = resources.files("layout.text").joinpath("words.txt").read_text("utf-8")
    return tuple(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip()))


@lru_cache(maxsize=1)
def _base():
    """jieba's dictionary, loaded once (jieba keeps its own load cache in the temp folder)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba imports pkg_resources, deprecated in setuptools
        import jieba
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


class _KeptDictionary:
    """jieba's prefix dictionary (word or word prefix -> frequency) kept in an SQLite file in the
    build cache and read a word at a time: segmenting a headline looks up a few dozen fragments,
    where loading the whole dictionary (marshal.load of ~350 000 entries) costs about a second.
    Written once per jieba version from jieba's own dictionary, so the frequencies, and therefore
    the words found, are jieba's exactly."""

    def __init__(self, path, total: int) -> None:
        import sqlite3

        self.path = path
        self.total = total
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._seen: dict[str, int | None] = {}

    def lookup(self, word: str) -> int | None:
        if word in self._seen:
            return self._seen[word]
        row = self._db.execute("SELECT f FROM freq WHERE w = ?", (word,)).fetchone()
        value = None if row is None else row[0]
        if value is not None and (type(value) is not int or value < 0):
            raise ValueError(f"{self.path}: {word!r} has no frequency")
        self._seen[word] = value
        return value

    @staticmethod
    def open(store_dir):
        """The kept dictionary for the installed jieba, written first if there is none; None when
        the cache is off or the file cannot be written or read (then jieba loads its own)."""
        import sqlite3

        if store_dir is None:
            return None
        from layout.cache import JsonCache

        name = hashlib.sha256(repr(_segmenter_version()[:1] + (_jieba_dictionary(),)).encode()).hexdigest()[:32]
        path = store_dir / f"{name}.sqlite"
        # The file's SHA-256 and length, kept beside it when it is written: a file that does not
        # match them (a byte changed anywhere) is not read but written again.
        seals = JsonCache(store_dir, "jieba")
        for _attempt in (0, 1):
            try:
                if path.exists():
                    seal = seals.load(name, check=lambda v: v if isinstance(v, dict) else None)
                    if seal is not None and seal == _seal_of(path):
                        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                        try:
                            total, count = db.execute("SELECT total, count FROM meta").fetchone()
                            (rows,) = db.execute("SELECT max(rowid) FROM freq").fetchone()
                        finally:
                            db.close()
                        if type(total) is int and total > 0 and type(count) is int and rows == count:
                            return _KeptDictionary(path, total)
                    path.unlink()  # not what was written: write it again
                    continue
                _write_dictionary_apart(path)
                seals.store(name, _seal_of(path))
            except (sqlite3.Error, OSError, TypeError, ValueError):
                with contextlib.suppress(OSError):
                    path.unlink()
                return None
        return None


def _seal_of(path) -> dict:
    """A file's SHA-256 and length, read in blocks (the kept dictionary is ~19 MB: not held whole)."""
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
        length = f.tell()
    return {"sha256": digest, "length": length}


class _Frequencies:
    """What jieba's Tokenizer reads its FREQ through (`in`, `[]`, `get`), over the kept dictionary
    or jieba's own loaded one (`loaded`, never changed: shared by every word list instead of a
    ~15 MB copy each), with the words a build adds on top (add_word writes here)."""

    def __init__(self, kept: _KeptDictionary | None = None, loaded: dict[str, int] | None = None) -> None:
        if (kept is None) == (loaded is None):
            raise ValueError("frequencies come from the kept dictionary or the loaded one")
        self.kept = kept
        self._lookup = kept.lookup if kept is not None else loaded.get
        self.added: dict[str, int] = {}

    def get(self, word: str, default=None):
        if word in self.added:
            return self.added[word]
        value = self._lookup(word)
        return default if value is None else value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __setitem__(self, word: str, freq: int) -> None:
        self.added[word] = freq


def _jieba_dictionary() -> tuple:
    """jieba's dictionary file, by signature (a jieba reinstalled with another dictionary is another)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return ()
    path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
    try:
        st = os.stat(path)
    except OSError:
        return (path,)
    return (path, st.st_size, st.st_mtime_ns)


def _write_dictionary(path, base) -> None:
    """Write jieba's loaded dictionary to `path` (beside, then renamed: a reader never sees half)."""
    import sqlite3
    import tempfile
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sqlite")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, f INTEGER NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", sorted(base.FREQ.items()))
            db.execute("CREATE TABLE meta (total INTEGER, count INTEGER)")
            db.execute("INSERT INTO meta VALUES (?, ?)", (int(base.total), len(base.FREQ)))
        db.close()
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


WRITE_TIMEOUT_S = 300


def _write_dictionary_apart(path) -> None:
    """Write the kept dictionary from jieba's in a Python process of its own: loading jieba's
    dictionary takes ~53 MB and writing it sorted as much again, which a build process would keep
    as its peak (a cold 24-page build's layout stage peaked at 376 MB with it); the build then
    reads the file a word at a time. Where no second interpreter can be run it is written here."""
    import subprocess
    import sys

    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
    code = "import sys; from layout.text import words; words._write_dictionary(sys.argv[1], words._base())"
    if sys.executable:
        try:
            subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, env=env,
                           timeout=WRITE_TIMEOUT_S)
            return
        except (OSError, subprocess.SubprocessError):
            pass  # written here instead
    _write_dictionary(path, _base())


def _dictionary_store():
    from layout.cache import cache_root

    root = cache_root()
    return None if root is None else root / "jieba"


@lru_cache(maxsize=2)  # a build uses one word list
def _tokenizer(user_words: tuple[str, ...]):
    """A tokenizer with the shipped and the edition's words added; the base one is never changed
    (so one edition's names never leak into another's build in the same process). Its dictionary
    is read from the build cache a word at a time where it is kept there (_KeptDictionary)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba imports pkg_resources, deprecated in setuptools
        import jieba

    tok = jieba.Tokenizer()
    kept = None if _base.cache_info().currsize else _KeptDictionary.open(_dictionary_store())
    if kept is not None and not _base.cache_info().currsize:
        tok.FREQ = _Frequencies(kept)
        tok.total = kept.total
    else:  # the dictionary is in memory already, or cannot be kept: read through, never copied
        base = _base()
        tok.FREQ = _Frequencies(loaded=base.FREQ)
        tok.total = base.total
    tok.initialized = True
    for word in (*_shipped_words(), *user_words):
        w = to_simplified(word.strip())
        if len(w) >= 2:
            tok.add_word(w, USER_FREQ)
    return tok


def word_spans(text: str, user_words: tuple[str, ...] = ()) -> tuple[tuple[int, int], ...]:
    """(start, end) of every word of two or more characters in `text` (end exclusive). A line may
    break at either end of a span but should not break inside one.

    Kept in this process and in the build cache ($LAYOUT_CACHE/words, under the text, the word
    lists and the segmenter's versions): loading jieba's dictionary costs about a second, so a
    build whose display lines were all segmented before never loads it."""
    if not text:
        return ()
    return _spans(text, tuple(user_words))


@lru_cache(maxsize=8192)  # the same display text is measured at many widths and sizes
def _spans(text: str, user_words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    store = _store()
    key = repr([text, user_words, _segmenter_version()])
    spans = store.load(key, check=lambda v: _checked_spans(v, len(text))) if store is not None else None
    if spans is None:
        spans = _segment(text, user_words)
        if store is not None:
            store.store(key, [list(s) for s in spans])
    return spans


def _store():
    from layout.cache import JsonCache

    return JsonCache.default("words")


@lru_cache(maxsize=1)
def _segmenter_version() -> tuple:
    """What word spans depend on besides the text and the edition's words: jieba's and OpenCC's
    versions (their dictionaries) and the shipped words.txt."""
    from importlib import metadata

    versions = []
    for name in ("jieba", "opencc"):
        try:
            versions.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            versions.append(None)
    return (*versions, _shipped_words())


def _checked_spans(value, n: int) -> tuple[tuple[int, int], ...]:
    """Spans read back from the cache: pairs of whole numbers, each of two or more characters inside
    the text, in order and not overlapping (ValueError otherwise: the entry is dropped)."""
    out = []
    end = 0
    for pair in value:
        if not isinstance(pair, list) or len(pair) != 2 or not all(type(v) is int for v in pair):
            raise ValueError(f"{pair!r} is not a span")
        a, b = pair
        if not end <= a < b <= n or b - a < 2:
            raise ValueError(f"{pair!r} is not a span of a {n}-character text")
        out.append((a, b))
        end = b
    return tuple(out)


def _segment(text: str, user_words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    import sqlite3

    simple = to_simplified(text)
    try:
        words = list(_tokenizer(user_words).cut(simple, HMM=False))
    except (sqlite3.Error, ValueError):  # the kept dictionary is damaged: drop it, use jieba's own
        freq = _tokenizer(user_words).FREQ
        if freq.kept is not None:
            with contextlib.suppress(OSError):
                os.unlink(freq.kept.path)
        _tokenizer.cache_clear()
        _base()  # in memory from here on (the next build keeps it again)
        words = list(_tokenizer(user_words).cut(simple, HMM=False))
    spans = []
    i = 0
    for word in words:
        j = i + len(word)
        if j - i >= 2 and not word.isspace():
            spans.append((i, j))
        i = j
    return tuple(spans)


def inside_word(spans: tuple[tuple[int, int], ...], n: int) -> list[bool]:
    """For each character boundary k in 1..n-1 (index k-1 in the list): does it lie inside a word?"""
    out = [False] * max(0, n - 1)
    for a, b in spans:
        for k in range(a + 1, b):
            out[k - 1] = True
    return out
