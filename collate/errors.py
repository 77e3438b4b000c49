"""What reaches the user: one-line errors, interrupts that say what they left, terminal-safe text.

`CollateError` is a problem with the user's input (exit code 2).  `Interrupted`
is Ctrl-C, SIGTERM or SIGHUP, carrying the signal and, when a write had
already been committed, the truth about what is on disk.  `visible` makes any
text from witnesses, metadata or file names safe to print on a terminal.
"""

from __future__ import annotations

import re
import signal


class CollateError(Exception):
    """A problem with the user's input, reported as one line and exit code 2.

    >>> str(CollateError("empty file", path="witnesses/x.txt"))
    'witnesses/x.txt: empty file'
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class Interrupted(KeyboardInterrupt):
    """An interrupt by signal ``signum``; ``outcome`` says what it left, if a writer knew better.

    A plain ``KeyboardInterrupt`` subclass, so code that catches interrupts
    catches these too.  The ``collate`` command installs handlers that raise it
    for SIGINT, SIGTERM and SIGHUP alike, and exits with ``128 + signum``.
    ``outcome`` is empty unless the code that raised it knows what the
    interrupt left on disk (e.g. "the change to 'B' is undone by the next
    collate command").

    >>> exc = Interrupted(signal.SIGTERM)
    >>> exc.signum == signal.SIGTERM, exc.exit_code, exc.outcome
    (True, 143, '')
    """

    def __init__(self, signum: int = signal.SIGINT, outcome: str = "") -> None:
        super().__init__(signum, outcome)
        self.signum = int(signum)
        self.outcome = outcome

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def signal_number(exc: KeyboardInterrupt) -> int:
    """The signal behind an interrupt: its own for `Interrupted`, SIGINT for a plain Ctrl-C.

    >>> signal_number(KeyboardInterrupt()) == signal.SIGINT
    True
    """
    return exc.signum if isinstance(exc, Interrupted) else int(signal.SIGINT)


# --- terminal safety -----------------------------------------------------------

# C0 controls and DEL (shown as their U+2400 "control picture"), C1 controls
# (shown as \xNN: they have no picture), and the invisible characters that
# reorder or split a line: bidi embeddings, overrides, isolates and marks, and
# the Unicode line and paragraph separators (shown as \uXXXX).
_UNSAFE = re.compile("[\x00-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _show(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character made visible, so printing it cannot act on a terminal.

    Escape (the start of every terminal control sequence, OSC 52 clipboard
    writes included) becomes ␛, other C0 controls and DEL their U+2400
    picture (a newline becomes ␊, so a message stays one line), C1 controls
    ``\\xNN``, and bidi controls and line separators ``\\uXXXX``.  Everything
    else, accents and non-Latin scripts included, is left as it is.  Every line
    `collate` prints from witness text, metadata or file names goes through it.

    >>> visible("web\\x1b]52;c;ZXZpbA==\\x07 title")
    'web␛]52;c;ZXZpbA==␇ title'
    >>> visible("two\\nlines\\tand \\x9b, \\u202eLondon")
    'two␊lines␉and \\\\x9b, \\\\u202eLondon'
    >>> visible("Aide-mémoire, Москва")
    'Aide-mémoire, Москва'
    """
    return _UNSAFE.sub(_show, text)
