"""One decoding policy for every reader: sniff the file, read UTF-8 leniently, repair or refuse.

1. File level: the first 4 KB decide the codec. A BOM (UTF-8, UTF-16 LE/BE,
   UTF-32 LE/BE) selects that codec for the whole file; without a BOM, a
   UTF-16 NUL-byte pattern selects ``utf-16-le``/``utf-16-be``; otherwise UTF-8.
   A file is binary, and whole :class:`Undecodable`, when its head has a NUL
   character or more than 5% and at least 8 C0 control characters (other
   than tab/newline/CR/form feed) *and* most of its first lines (the first
   64 KB) hold such characters. A text file with a few bad lines is text:
   those lines (records) are quarantined one by one.
2. Record level: a text read from the bytes (a line, a cell, a file) with a NUL
   character is :class:`Undecodable` (:meth:`TextCodec.raw_text`). UTF-8 is read with bad bytes kept as lone surrogates
   (``surrogateescape``). :func:`repair` leaves clean text alone and reads every
   byte that is not UTF-8 as cp1252 (latin-1 for the five bytes cp1252 leaves
   undefined), when the result still looks like text; otherwise it raises
   :class:`Undecodable`. Readers turn that into a ``BadRecord``.
3. ``encoding=`` forces a codec: no sniffing, no cp1252 fallback; bytes that
   codec cannot decode make the record undecodable.

Text is never normalised or stripped; control characters in real text are kept.

Example:
    >>> repair("caf\\udce9")
    'café'
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from medtext.errors import Errors, InputError
from medtext.io.compressed import compressed_reason, compression_by_bytes, compression_by_name, open_binary

__all__ = [
    "ESCAPE",
    "HEAD_BYTES",
    "TextCodec",
    "Undecodable",
    "decode_bytes",
    "is_junk",
    "open_text",
    "repair",
    "repair_text",
    "resolve_encoding",
    "sniff",
    "sniff_encoding",
    "strip_eol",
]

HEAD_BYTES = 4096
"""How many leading bytes decide a file's codec and whether it may be binary."""

SAMPLE_BYTES = 1 << 16
"""How many leading bytes a head that may be binary is judged on, line by line."""

ESCAPE = "medtext.escape"
"""Decode error handler: each bad byte becomes the lone surrogate U+DC00+byte."""

BINARY_REASON = "undecodable bytes (binary file, not text)"
NUL_REASON = "undecodable bytes (a NUL character: binary data, not text)"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_C0 = re.compile("[\x01-\x08\x0b\x0e-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_MAX_CONTROL_SHARE = 0.05
_MIN_HEAD_CONTROLS = 8  # a tiny file with a DEL or two is still text; a binary head has hundreds
_MIN_UTF16_PAIRS = 8  # below 16 bytes a NUL pattern says little
_MAX_ESCAPED_RUN = 3  # real cp1252 text rarely has 4 non-UTF-8 bytes in a row; random bytes do
_MAX_BAD_LINE_SHARE = 0.5  # a binary file has control characters in (nearly) every "line"; a text file in a few


def _escape(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return "".join(chr(0xDC00 + b) for b in bad), err.end


codecs.register_error(ESCAPE, _escape)


def _cp1252_table() -> tuple[str, ...]:
    table = []
    for b in range(256):
        try:
            table.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            table.append(chr(b))  # 0x81 0x8D 0x8F 0x90 0x9D: latin-1
    return tuple(table)


_CP1252 = _cp1252_table()


class Undecodable(ValueError):
    """Bytes that are not text in the expected encoding; ``str(exc)`` is a text-free reason.

    Example:
        >>> str(Undecodable("undecodable bytes (not UTF-8 text)"))
        'undecodable bytes (not UTF-8 text)'
    """


def is_junk(text: str) -> bool:
    """True when ``text`` does not look like text: a NUL, or over 5% control characters.

    Tab, newline, carriage return and form feed do not count as control characters.

    Example:
        >>> is_junk("fever\\tcough\\n"), is_junk("\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
        (False, True)
    """
    if not text:
        return False
    if "\x00" in text:
        return True
    if text.isascii() and text.isprintable():
        return False
    controls = len(_CONTROL.findall(text))
    return controls > _MAX_CONTROL_SHARE * len(text)


def repair_text(s: str, *, fallback: bool = True, codec: str = "utf-8") -> tuple[str, str | None]:
    """Return ``(text, fallback_encoding)``: ``s`` unchanged and ``None`` when it has no lone surrogates.

    Otherwise (``fallback=True``) each run of escaped non-UTF-8 bytes is read
    as cp1252 and ``"cp1252"`` is returned; raises :class:`Undecodable` when the
    result is not text, when a run is longer than 3 bytes, or when
    ``fallback=False`` (a forced or non-UTF-8 codec, named in the reason).

    Example:
        >>> repair_text("\\udc93plus\\udc94")
        ('“plus”', 'cp1252')
    """
    if s.isascii() or _SURROGATE.search(s) is None:
        return s, None
    if not fallback:
        raise Undecodable(_reason(codec))
    parts: list[str] = []
    pos = 0
    for m in _ESCAPED_RUN.finditer(s):
        run = m.group()
        if len(run) > _MAX_ESCAPED_RUN:
            raise Undecodable(_reason(codec))
        parts.append(s[pos : m.start()])
        parts.append("".join(_CP1252[ord(c) - 0xDC00] for c in run))
        pos = m.end()
    parts.append(s[pos:])
    text = "".join(parts)
    if _SURROGATE.search(text) is not None or is_junk(text):
        raise Undecodable(_reason(codec))
    return text, "cp1252"


def repair(s: str) -> str:
    """``s`` unchanged when it is clean, else its non-UTF-8 bytes read as cp1252 (or :class:`Undecodable`).

    Example:
        >>> repair("no fever")
        'no fever'
    """
    return repair_text(s)[0]


def _reason(codec: str) -> str:
    if codec.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig"):
        return "undecodable bytes (not UTF-8 text)"
    return f"undecodable bytes (not valid {codec})"


def resolve_encoding(encoding: str | None) -> str | None:
    """Check a forced codec name; raise ``InputError`` E012 when Python does not know it.

    Example:
        >>> resolve_encoding("latin1")
        'latin1'
    """
    if encoding is None:
        return None
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(Errors.E012.format(encoding=encoding)) from None
    return encoding


def sniff_encoding(head: bytes) -> str:
    """The codec for a file that starts with ``head``: BOM, then UTF-16 NUL pattern, else ``utf-8``.

    Example:
        >>> sniff_encoding("fièvre et toux".encode("utf-16-le")), sniff_encoding(b"\\xef\\xbb\\xbfok")
        ('utf-16-le', 'utf-8-sig')
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    pairs = len(head) // 2
    if pairs >= _MIN_UTF16_PAIRS:
        even = head[0 : 2 * pairs : 2].count(0)
        odd = head[1 : 2 * pairs : 2].count(0)
        if odd >= 0.3 * pairs and even <= 0.05 * pairs:
            return "utf-16-le"
        if even >= 0.3 * pairs and odd <= 0.05 * pairs:
            return "utf-16-be"
    return "utf-8"


@dataclass(frozen=True, slots=True)
class TextCodec:
    """How one file is decoded: the codec, and whether non-UTF-8 bytes may fall back to cp1252.

    Example:
        >>> TextCodec("utf-8").text("caf\\udce9")
        ('café', 'cp1252')
    """

    name: str
    fallback: bool = True

    def text(self, s: str) -> tuple[str, str | None]:
        """``(text, fallback encoding or None)`` for a decoded string; raise :class:`Undecodable`."""
        return repair_text(s, fallback=self.fallback, codec=self.name)

    def raw_text(self, s: str) -> tuple[str, str | None]:
        """Like :meth:`text` for text read straight from the file's bytes (a line, a cell, a whole file):
        a NUL character there is binary data, not text. (JSON's escaped ``\\u0000`` is text.)"""
        if "\x00" in s:
            raise Undecodable(NUL_REASON)
        return self.text(s)

    def clean(self, s: str) -> str:
        """Like :meth:`text`, without the encoding note (for ids, labels, gold fields)."""
        return repair_text(s, fallback=self.fallback, codec=self.name)[0]


def _binary_head(text: str) -> bool:
    """A NUL, or many C0 control characters: text writers (json.dumps included) never emit these."""
    if "\x00" in text:
        return True
    controls = len(_C0.findall(text))
    return controls >= _MIN_HEAD_CONTROLS and controls > _MAX_CONTROL_SHARE * len(text)


def _mostly_bad_lines(text: str) -> bool:
    """True when more than half of the non-empty lines hold a NUL or a C0 control character.

    Binary data has them in nearly every stretch between two newline bytes; a text
    file with one bad line (a NUL in one record) has them in that line only.
    """
    lines = [line for line in text.split("\n") if line]
    bad = sum(1 for line in lines if "\x00" in line or _C0.search(line) is not None)
    return bad > _MAX_BAD_LINE_SHARE * len(lines)


def _stream_reason(codec: str, exc: UnicodeError) -> str:
    """A text-free reason, with what to do, for a codec that refuses the whole stream."""
    if "BOM" in str(exc):
        return f"undecodable bytes (not valid {codec}: the file has no byte-order mark; use --encoding {codec}-le or {codec}-be, or leave --encoding out)"
    return f"undecodable bytes (not valid {codec}; leave --encoding out to detect the encoding)"


def _decode_head(head: bytes, codec: str) -> str:
    decoder = codecs.getincrementaldecoder(codec)(errors=ESCAPE)
    return decoder.decode(head, final=False)


def sniff(head: bytes, encoding: str | None = None, sample: bytes | None = None) -> TextCodec:
    """Choose the codec for a file starting with ``head``; raise :class:`Undecodable` for binary data
    (compressed data named as such: see :mod:`medtext.io.compressed`).

    With ``encoding`` the codec is forced (no cp1252 fallback). The codec is chosen on
    the first 4 KB; a head that may be binary is judged line by line on ``sample``
    (the file's first bytes, up to 64 KB; default ``head``).

    Example:
        >>> sniff(b"no fever\\n")
        TextCodec(name='utf-8', fallback=True)
    """
    compressed = compression_by_bytes(head)
    if compressed is not None:
        raise Undecodable(compressed_reason(compressed))
    if encoding is not None:
        codec = TextCodec(encoding, fallback=False)
    else:
        name = sniff_encoding(head)
        codec = TextCodec(name, fallback=name in ("utf-8", "utf-8-sig"))
    try:
        decoded = _decode_head(head[:HEAD_BYTES], codec.name)
    except UnicodeError as exc:  # not a decoding error of some bytes: e.g. utf-16 without a byte-order mark
        raise Undecodable(_stream_reason(codec.name, exc)) from None
    if _binary_head(decoded):
        lines = _decode_head(sample if sample is not None else head, codec.name)
        if _mostly_bad_lines(lines):
            raise Undecodable(BINARY_REASON)
    return codec


def open_text(path: str | Path, encoding: str | None = None) -> tuple[IO[str], TextCodec]:
    """Open ``path`` for reading text by the policy: ``(file, codec)``; a ``.gz``, ``.bz2`` or ``.xz`` file
    decompressed (:func:`~medtext.io.compressed.open_binary`).

    Lines end only at ``\\n`` (a bare ``\\r`` is text) and are returned
    untranslated; strip them with :func:`strip_eol`. Raises :class:`Undecodable`
    for a binary file and ``OSError`` when the file cannot be opened.

    Example:
        >>> fh, codec = open_text(__file__)
        >>> fh.close(); codec.name
        'utf-8'
    """
    with open_binary(path) as raw:
        head = raw.read(HEAD_BYTES)
        sample = head + raw.read(SAMPLE_BYTES - len(head)) if len(head) == HEAD_BYTES else head
    codec = sniff(head, encoding, sample)
    if compression_by_name(path) is None:
        return open(path, encoding=codec.name, errors=ESCAPE, newline="\n"), codec  # noqa: SIM115
    return io.TextIOWrapper(open_binary(path), encoding=codec.name, errors=ESCAPE, newline="\n"), codec


def strip_eol(line: str) -> str:
    """Remove one line terminator (``\\r\\n`` or ``\\n``) and nothing else.

    Example:
        >>> strip_eol("a b \\r\\n"), strip_eol("x\\r")
        ('a b ', 'x\\r')
    """
    if line.endswith("\n"):
        return line[:-2] if line.endswith("\r\n") else line[:-1]
    return line


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode one whole text (a file, a binary cell) by the policy: ``(text, fallback encoding or None)``.

    Raises :class:`Undecodable` for binary data or bytes the codec cannot read.

    Example:
        >>> decode_bytes("fièvre".encode("cp1252"))
        ('fièvre', 'cp1252')
    """
    codec = sniff(data[:HEAD_BYTES], encoding, data[:SAMPLE_BYTES])
    return codec.raw_text(data.decode(codec.name, errors=ESCAPE))
