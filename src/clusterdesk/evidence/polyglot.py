"""Polyglots: a PDF or an image that another parser reads as something else (no Django).

A polyglot is valid in two formats at once: a GIF that is also a script
(``GIF89a/*…*/=alert(1);``), a PDF or a PNG that a browser also renders as a web page, a GIF
with a Java archive behind it ("GIFAR"). Served with its own content type and ``nosniff`` it
does no harm here, but it is made to do harm somewhere: an old browser that sniffs, a page
that includes it as a script, a colleague who saves it under another extension. Evidence is a
picture or a document and nothing else, so a second meaning is refused.

The questions are about bytes, because the other parser reads bytes:

- *Web page*: an HTML parser looks at every byte and acts on active markup wherever it is
  (in a comment segment, a text chunk, after the end of the image). Only markup that runs or
  loads something counts (``<script``, ``<iframe``, an ``on…=`` handler, ``<meta http-equiv``…):
  inert rich text such as the ``<body><p>`` of a PDF comment is no attack, and short patterns
  would match compressed data by chance.
- *Script*: JavaScript must be valid from the first byte, so the file is run through a small
  tokenizer; binary image data stops it within a few bytes, a polyglot hides its binary in
  comments or strings and lexes to the end. Non-ASCII bytes count as letters (a script read as
  windows-1252 or UTF-8 may use them in names), which errs towards refusing.
- *Archive*: a ZIP's directory sits at the end, so an image or a PDF followed by one is both.
"""

from __future__ import annotations

import io
import re
import zipfile

# Markup that runs or loads something by itself, or an attribute that does.
_ACTIVE_HTML = re.compile(
    rb"<(?:script|iframe|frame|frameset|object|applet|embed|style)[\s/>]"
    rb"|<(?:meta|base|form|link|svg|math)[\s/][^<>]{0,200}?\b(?:http-equiv|href|action|src|data)\s*="
    rb"|<[a-z][\w:-]*[\s/][^<>]{0,200}?(?<![\w-])on[a-z]{3,}\s*="
    rb"|<[a-z][\w:-]*[\s/][^<>]{0,200}?javascript:",
    re.IGNORECASE,
)


def active_html(data: bytes) -> str | None:
    """The first active HTML markup in ``data`` (shortened, for the message), or None."""
    found = _ACTIVE_HTML.search(data)
    if found is None:
        return None
    text = found.group().decode("latin-1")
    return re.sub(r"[^\x20-\x7e]", "?", text[:40])


# One JavaScript token at a time. Enough of the lexical grammar to follow comments, strings,
# template literals and regular expressions, where a polyglot keeps its binary data.
_JS_TOKEN = re.compile(
    rb"""
      [\t\n\v\f\r\x20\xa0]+                       # white space (0xA0: no-break space)
    | //[^\n\r]*                                  # line comment (block comments: below)
    | "(?:[^"\\\n\r]|\\.)*"                       # strings ('\' + line end continues them)
    | '(?:[^'\\\n\r]|\\.)*'
    | `(?:[^`\\]|\\.)*`                           # template literal
    | [A-Za-z_$\x80-\xff][\w$\x80-\xff]*          # names and keywords
    | \.?[0-9][\w.]*                              # numbers
    | [-+*%=<>!&|^~?:;,.(){}\[\]/@\#]              # punctuators, one character at a time
    """,
    re.VERBOSE | re.DOTALL,
)
# Bounded, so that a long line of "/[" cannot make every slash scan to its end.
_JS_REGEX = re.compile(rb"/(?:[^/\\\n\r\[]|\\.|\[(?:[^\]\\\n\r]|\\.){0,256}\]){1,1024}/[A-Za-z]*")
_NO_REGEX_AFTER = frozenset(b")]}\"'`") | frozenset(b"0123456789abcdefghijklmnopqrstuvwxyz")
_NO_REGEX_AFTER |= frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
MAX_JS_TOKENS = 20_000  # an image lexes for a handful; this many is a program


def could_be_javascript(data: bytes) -> bool:
    """Whether ``data`` lexes as JavaScript from its first byte to its last."""
    position, end = 0, len(data)
    last = 0  # last byte of the previous significant token (0: none)
    for _ in range(MAX_JS_TOKENS):
        if position >= end:
            return True
        if data.startswith(b"/*", position):
            close = data.find(b"*/", position + 2)
            if close < 0:
                return False  # an unclosed comment is a syntax error
            position = close + 2
            continue
        # A slash starts a regular expression where a value is expected, else it divides.
        if (
            data[position] == 0x2F
            and data[position + 1 : position + 2] != b"/"
            and last not in _NO_REGEX_AFTER
            and (found := _JS_REGEX.match(data, position))
        ):
            position, last = found.end(), 0x29  # a regex is a value, like ")"
            continue
        found = _JS_TOKEN.match(data, position)
        if found is None:
            return False
        token = found.group()
        if not (token[:1].isspace() or token[:1] == b"\xa0" or token[:2] == b"//"):
            last = token[-1]
        position = found.end()
    return True  # tens of thousands of tokens: text, not an image


def is_zip(data: bytes) -> bool:
    """Whether a ZIP reader finds an archive in ``data`` (its directory is at the end)."""
    try:
        return zipfile.is_zipfile(io.BytesIO(data))
    except (OSError, ValueError):
        return False
