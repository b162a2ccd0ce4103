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

import bisect
import contextlib
import hashlib
import logging
import mmap
import os
import struct
import sys
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


def _jieba():
    """The jieba module, imported without pkg_resources. jieba 0.42 imports pkg_resources (setuptools,
    deprecated) only to open its dict.txt, and falls back to opening the file beside its own module
    when that import fails; pkg_resources costs ~0.25 s of every new process's start (a third of the
    cold `layout build`'s imports), so while jieba is first imported it is made to fail, as it would
    where setuptools is not installed. An already imported pkg_resources is left as it is."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # `import pkg_resources` raises ImportError
    try:
        import jieba
    finally:
        if hidden and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=1)
def _base():
    """jieba's dictionary, loaded once (jieba keeps its own load cache in the temp folder)."""
    jieba = _jieba()
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


class _KeptDictionary:
    """jieba's prefix dictionary (word or word prefix -> frequency) kept in the build cache as its
    words sorted by their UTF-8 bytes, memory-mapped and searched a word at a time: segmenting a
    headline looks up a few dozen fragments, where loading the whole dictionary (~500 000 entries)
    costs about a second and ~53 MB. Written once per jieba dictionary, from jieba's own dict.txt
    (`_parse_dictionary`: its words and frequencies exactly as jieba's loader reads them), so the
    frequencies, and therefore the words found, are jieba's exactly.

    The file: MAGIC, count and total (two unsigned 64-bit numbers), count + 1 key offsets
    (unsigned 32-bit), count frequencies (signed 64-bit), the keys' bytes, and the SHA-256 of all
    that before it (a file that does not match it, a byte changed anywhere or cut short, is not
    read but written again). Native byte order, which the file's name carries."""

    MAGIC = b"LAYOUT-KEPT-JIEBA-2\n"
    SAMPLE = 32

    def __init__(self, path, data: bytes | mmap.mmap) -> None:
        """`data`: the file's bytes (mapped), already checked against its digest; its parts' sizes
        are checked before any is looked at (ValueError: not a kept dictionary)."""
        head = len(self.MAGIC)
        count, total = struct.unpack_from("=Qq", data, head)
        at = head + 16
        keys = at + 4 * (count + 1) + 8 * count
        if count == 0 or total <= 0 or keys + 32 > len(data) \
                or struct.unpack_from("=I", data, at)[0] != 0 \
                or keys + struct.unpack_from("=I", data, at + 4 * count)[0] + 32 != len(data):
            raise ValueError(f"{path}: not a kept dictionary")
        view = memoryview(data)
        self.path = path
        self.total = total
        self._data = data
        self._count = count
        self._offsets = view[at:at + 4 * (count + 1)].cast("I")
        self._freqs = view[at + 4 * (count + 1):keys].cast("q")
        self._keys = keys
        # Every SAMPLE-th key, searched in C first: the rest of a lookup is a few steps in Python.
        self._sample = [self._key(i) for i in range(0, count, self.SAMPLE)]
        self._seen: dict[str, int | None] = {}

    def _key(self, i: int) -> bytes:
        return self._data[self._keys + self._offsets[i]:self._keys + self._offsets[i + 1]]

    def lookup(self, word: str) -> int | None:
        """jieba's FREQ.get(word): a word's frequency, 0 for a prefix of a word that is not one
        itself, None for neither. The first key not below `word` is the word itself, or else the
        least key that starts with it if any does (UTF-8 byte order is code point order, and a
        string's bytes start another's exactly when its characters do)."""
        if word in self._seen:
            return self._seen[word]
        value = None
        if word:
            key = word.encode("utf-8")
            # sample[j - 1] < key <= sample[j]: the first key not below it is in that stretch
            j = bisect.bisect_left(self._sample, key)
            lo, hi = (j - 1) * self.SAMPLE + 1 if j else 0, min(j * self.SAMPLE, self._count)
            while lo < hi:
                mid = (lo + hi) // 2
                if self._key(mid) < key:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < self._count:
                found = self._key(lo)
                if found == key:
                    value = self._freqs[lo]
                elif found.startswith(key):
                    value = 0
        self._seen[word] = value
        return value

    @staticmethod
    def read(path) -> _KeptDictionary | None:
        """The kept dictionary at `path` if it is whole and as written; None otherwise."""
        try:
            with open(path, "rb") as f:
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, unreadable, or empty (nothing to map)
            return None
        try:
            if len(data) < len(_KeptDictionary.MAGIC) + 48 or data[:len(_KeptDictionary.MAGIC)] != _KeptDictionary.MAGIC \
                    or hashlib.sha256(memoryview(data)[:-32]).digest() != data[-32:]:
                raise ValueError(f"{path}: damaged")
            return _KeptDictionary(path, data)
        except (ValueError, TypeError, IndexError, struct.error):
            data.close()
            return None

    @staticmethod
    def open(store_dir):
        """The kept dictionary for the installed jieba, written first if there is none (by the
        writer `start_kept_dictionary` may have begun at the start of the build); None when the
        cache is off or the file cannot be written or read (then jieba loads its own)."""
        if store_dir is None:
            return None
        path = _kept_path(store_dir)
        for _attempt in (0, 1):
            kept = _KeptDictionary.read(path)
            if kept is not None:
                with contextlib.suppress(OSError):
                    os.utime(path)  # used now: pruning removes the least recently used entries
                return kept
            with contextlib.suppress(OSError):
                path.unlink()  # not what was written (or not there): write it again
            writer = _writer(str(path))
            _writer.cache_clear()  # waited for once: a second attempt starts another
            if writer.wait():
                continue
            dictionary = _jieba_dictionary()
            if writer.ran or not dictionary:
                return None  # it failed (a full disk, a dictionary jieba refuses): jieba loads its own
            try:  # no second interpreter could be run: written here
                _write_dictionary(path, dictionary[0])
            except (OSError, ValueError, OverflowError, struct.error):
                return None
        return None


def _kept_path(store_dir):
    """The kept dictionary's file: named by the segmenter's versions, jieba's dict.txt by signature,
    this machine's byte order and the file's format."""
    name = hashlib.sha256(repr(_segmenter_version()[:1] + (_jieba_dictionary(), sys.byteorder,
                                                             _KeptDictionary.MAGIC)).encode()).hexdigest()[:32]
    return store_dir / f"{name}.words"


def _parse_dictionary(data: bytes) -> tuple[dict[bytes, int], int]:
    """jieba's dict.txt as its loader (jieba.Tokenizer.gen_pfdict) reads it, without the prefixes
    it adds: each line (split at newlines) stripped, its first two fields split at spaces the word
    and its frequency (the last line naming a word gives its frequency), the total the sum of every
    line's. A line jieba would refuse raises ValueError (jieba's own loader then says what is
    wrong). Worked on bytes, which is what jieba strips and splits too: the file is checked as
    UTF-8 once, as a whole (its lines are exactly when it is: a newline and the stripped ASCII
    spaces never fall inside a character)."""
    data.decode("utf-8")
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the newline ending the last line
    freq: dict[bytes, int] = {}
    total = 0
    for line in lines:
        word, count = line.strip().split(b" ")[:2]
        try:
            count = int(count)
        except ValueError:
            count = int(count.decode("utf-8"))  # what int() takes of a str but not of bytes (other digits)
        freq[word] = count
        total += count
    return freq, total


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


def _write_dictionary(path, dict_path) -> None:
    """Write the kept dictionary of jieba's `dict_path` to `path` (beside, then renamed: a reader
    never sees half). Run by the writer process (`_Writer`), or here where none can be run."""
    import array
    import tempfile
    from pathlib import Path

    with open(dict_path, "rb") as f:
        freq, total = _parse_dictionary(f.read())
    keys = sorted(freq)
    offsets = array.array("I", [0])
    at = 0
    for key in keys:
        at += len(key)
        offsets.append(at)
    if at >= 2**32:
        raise ValueError(f"{dict_path}: too large to keep")
    freqs = array.array("q", (freq[key] for key in keys))  # OverflowError past 64 bits: not kept
    if offsets.itemsize != 4 or freqs.itemsize != 8:
        raise ValueError("no 32- and 64-bit arrays here: the dictionary is not kept")
    del freq
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".words")
    try:
        with os.fdopen(fd, "wb") as out:
            digest = hashlib.sha256()
            for part in (_KeptDictionary.MAGIC, struct.pack("=Qq", len(keys), total), offsets.tobytes(),
                         freqs.tobytes(), b"".join(keys)):
                digest.update(part)
                out.write(part)
            out.write(digest.digest())
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


WRITE_TIMEOUT_S = 300


class _Writer:
    """The kept dictionary written by a Python process of its own: reading jieba's dictionary and
    sorting it takes ~50 MB, which a build process would keep as its peak (a cold 24-page build's
    layout stage peaked at 376 MB with jieba's loaded copy); the build reads the file a word at a
    time. Started as early as a build can (`start_kept_dictionary`), so it is written while the
    edition is loaded and the faces opened, on the other core."""

    def __init__(self, path: str) -> None:
        import subprocess

        self.path = path
        self._proc = None
        self.ran = False
        dictionary = _jieba_dictionary()
        if not dictionary or not sys.executable:
            return
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {**os.environ,
               "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        code = "import sys; from layout.text import words; words._write_dictionary(sys.argv[1], sys.argv[2])"
        try:
            self._proc = subprocess.Popen([sys.executable, "-c", code, path, dictionary[0]], env=env,
                                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
            self.ran = True
            _RUNNING.append(self._proc)
        except OSError:
            self._proc = None

    def wait(self) -> bool:
        """Whether the writer ran and wrote the file (False: none could be run, or it failed)."""
        import subprocess

        if self._proc is None:
            return False
        try:
            return self._proc.wait(timeout=WRITE_TIMEOUT_S) == 0
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
            return False


# The writers this process started, for `end_kept_dictionary` (process-wide, as the processes are).
_RUNNING: list = []


def end_kept_dictionary(*, stop: bool = False) -> None:
    """Wait for the kept dictionary's writers this process started, or with `stop` end them (a
    build that failed or was interrupted): none goes on after the command. A writer told to stop
    (SIGINT) removes its half-written file; the next build starts another."""
    import signal
    import subprocess

    while _RUNNING:
        proc = _RUNNING.pop()
        if stop and proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10 if stop else WRITE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@lru_cache(maxsize=4)
def _writer(path: str) -> _Writer:
    """The writer of the kept dictionary at `path`, started at the first call (one per file)."""
    return _Writer(path)


def start_kept_dictionary() -> None:
    """Begin writing jieba's kept dictionary into the build cache if it has none yet, without
    waiting (it is waited for when a display line is first segmented; a build that segments none
    leaves it to finish on its own: it renames the file into place whole or not at all). Called
    at the start of a build: once per cache, the dictionary is then ready, or nearly, by the time
    the first headline is fitted, instead of that headline waiting for all of it."""
    store = _dictionary_store()
    if store is None or _base.cache_info().currsize:
        return
    try:
        if _kept_path(store).exists():
            return
    except OSError:
        return
    _writer(str(_kept_path(store)))


def _dictionary_store():
    from layout.cache import cache_root

    root = cache_root()
    return None if root is None else root / "jieba"


@lru_cache(maxsize=2)  # a build uses one word list
def _tokenizer(user_words: tuple[str, ...]):
    """A tokenizer with the shipped and the edition's words added; the base one is never changed
    (so one edition's names never leak into another's build in the same process). Its dictionary
    is read from the build cache a word at a time where it is kept there (_KeptDictionary)."""
    jieba = _jieba()
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
    installed packages (their dictionaries; layout.cache.library_signature, which spares the
    ~50 ms of scanning every distribution for their version numbers at the start of each build)
    and the shipped words.txt."""
    from layout.cache import library_signature

    return (library_signature("jieba"), library_signature("opencc"), _shipped_words())


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
    simple = to_simplified(text)
    try:
        words = list(_tokenizer(user_words).cut(simple, HMM=False))
    except (ValueError, IndexError):  # the kept dictionary is damaged: drop it, use jieba's own
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
