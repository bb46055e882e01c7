"""Compile medtext/resources/sentiment/vader_lexicon.tsv from the vaderSentiment wheel (MIT, C.J. Hutto).

    pip download --no-deps vaderSentiment==3.3.2 -d /tmp/vader
    python -m scripts.build_sentiment_lexicon /tmp/vader/vaderSentiment-3.3.2-py2.py3-none-any.whl

Keeps the entries that are one word of medtext's word tokenizer (emoticons and multi-token
entries dropped), lower-cased, with their mean valence (-4 .. +4): ``word<TAB>valence`` sorted.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from medtext.features.text import WordAnalyzer

OUT = Path(__file__).resolve().parents[1] / "medtext" / "resources" / "sentiment" / "vader_lexicon.tsv"


def compile_lexicon(wheel: str) -> dict[str, float]:
    words = WordAnalyzer(numbers="keep")
    with zipfile.ZipFile(wheel) as z:
        raw = z.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
    out: dict[str, float] = {}
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        toks = words(parts[0])
        if len(toks) == 1 and toks[0] == parts[0].lower():
            out[toks[0]] = float(parts[1])
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m scripts.build_sentiment_lexicon VADERSENTIMENT_WHEEL", file=sys.stderr)
        return 2
    lex = compile_lexicon(args[0])
    OUT.write_text("".join(f"{w}\t{v:g}\n" for w, v in sorted(lex.items())), encoding="utf-8")
    print(f"wrote {OUT} ({len(lex)} words)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
