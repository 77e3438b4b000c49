"""The one Jinja environment of every HTML output, and what pages share with it.

Autoescaping is always on: witness text reaches a page only as escaped text,
or inside a ``<script type="application/json">`` block through `script_json`.
A page's own script is inlined and allowed by its hash in the page's
Content-Security-Policy (`content_security_policy`), so no other script can
run even if something slipped through.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
_NONE = "'none'"


@cache
def environment() -> jinja2.Environment:
    """The shared environment: templates from ``collate/render/templates``, autoescape on,
    undefined names an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    env.filters["key"] = key
    return env


@cache
def script_source(name: str) -> str:
    """One of our own scripts, to inline into a page."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def content_security_policy(*scripts: str) -> str:
    """A policy that loads nothing and runs only the given inline scripts.

    >>> content_security_policy()
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'"
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode('ascii')}'" for s in scripts
    )
    return f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {hashes or _NONE}"


def key(number: int) -> str:
    """A short id for a number in a page's markup: base 36 (a book-length
    report holds tens of thousands of them).

    >>> key(0), key(35), key(36), key(16234)
    ('0', 'z', '10', 'ciy')
    """
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element: every
    character but ASCII letters, digits and spaces becomes a CSS escape, so
    nothing can end the string, the rule or the element.

    >>> str(css_string('ev"il</style>'))
    '"ev\\\\22 il\\\\3c \\\\2f style\\\\3e "'
    """
    out = "".join(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{out}"')  # noqa: S704 - every character that is not a letter, digit or space is escaped above


def script_json(data: object) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``.

    ``<``, ``>``, ``&`` and the line separators become ``\\u`` escapes, so no
    text can close the script element or open a comment; the JSON is unchanged.

    >>> str(script_json({"t": "</script><b>&"}))
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> json.loads(str(script_json(["</script>"])))
    ['</script>']
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)  # noqa: S704 - every character that could end the element is escaped above
