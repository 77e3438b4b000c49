"""The manifest: what the last run of a corpus command did, so the next one redoes only what changed.

``DIR/manifest.json`` records the tool's version, the command and its options,
and for every document that succeeded the SHA-256 of each of its input files
and its summary.  A later run with the same version and options hands each
job its recorded checksums; a worker whose inputs still match (and whose
outputs are still there) skips the document, and the index takes the
recorded summary.  Failed documents are not recorded, so they are always
tried again.  Any change of version or options makes the manifest void:
everything is redone.  Nothing in it depends on the run (no times), so two
runs over the same inputs write the same manifest.

>>> m = Manifest("check", {"normalize": "exact"}, {"p1": Entry((("reference", "ab12"),), {"document": "p1"})})
>>> again = Manifest.from_json(m.to_json(), command="check", options={"normalize": "exact"})
>>> again.entries["p1"].inputs
(('reference', 'ab12'),)
>>> Manifest.from_json(m.to_json(), command="check", options={}).note
'the options changed since the last run: all redone'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from .jobs import Inputs

MANIFEST = "manifest.json"
FORMAT = 1
TOOL = f"collate {__version__}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One document as the last run left it: its input checksums and its summary (as JSON data)."""

    inputs: Inputs
    summary: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Manifest:
    command: str
    options: Mapping[str, Any]
    entries: Mapping[str, Entry] = field(default_factory=dict)
    tool: str = TOOL
    note: str = ""  # why an existing manifest was not used (not written out)

    def to_json(self) -> str:
        data = {
            "manifest": FORMAT,
            "tool": self.tool,
            "command": self.command,
            "options": dict(self.options),
            "documents": {
                d: {"inputs": dict(e.inputs), "summary": dict(e.summary)} for d, e in sorted(self.entries.items())
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes | None, *, command: str, options: Mapping[str, Any]) -> Manifest:
        """The manifest in ``text`` if it was written by this version for the same
        command and options; otherwise (or if unreadable) an empty one."""
        if text is None:
            return cls(command, dict(options))
        try:
            data = json.loads(text)
            if (data["manifest"], data["tool"], data["command"]) != (FORMAT, TOOL, command):
                return cls(command, dict(options), note=f"the last run was {data['tool']} {data['command']}: all redone")
            if data["options"] != dict(options):
                return cls(command, dict(options), note="the options changed since the last run: all redone")
            entries = {
                str(d): Entry(tuple(sorted((str(k), str(v)) for k, v in e["inputs"].items())), dict(e["summary"]))
                for d, e in data["documents"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls(command, dict(options), note=f"{MANIFEST} is unreadable: all redone")
        return cls(command, dict(options), entries)
