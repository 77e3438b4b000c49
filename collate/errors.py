"""Errors that reach the user as one line: which file, and what is wrong with it."""

from __future__ import annotations


class CollateError(Exception):
    """A problem with the user's input, reported as one line and exit code 2.

    >>> str(CollateError("empty file", path="witnesses/x.txt"))
    'witnesses/x.txt: empty file'
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
