"""collate: collate transcriptions of one document token by token.

The library's entry points (loaded on first use, so that ``import collate``
and the command's start-up stay light):

- `collate.collate(witnesses, base=..., normalize=..., engine=...)` -> `Collation`,
  with ``to_html()``, ``to_json()``, ``to_tei()``, ``to_csv()`` and ``write(folder)``;
- `collate.align(witnesses, normalize=..., engine=...)` -> the alignment table alone;
- `collate.check(witness, reference, normalize=...)` -> `Check`, with
  ``cer``, ``wer``, ``errors``, ``summary()``, ``to_json()``, ``to_html()``;
- `collate.Store(path)`, with ``witnesses()``, ``add()`` and ``verify()``;
- `collate.Witness` and `collate.WitnessMeta`, to give witnesses with provenance.

Stages, one module each: `store` (witness files) -> `tokenize` -> `align` ->
`variants` -> `render` (every output); `fidelity` checks one transcription
against a reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_LAZY = {
    "collate": "collate.api",
    "align": "collate.api",
    "check": "collate.api",
    "Store": "collate.api",
    "Collation": "collate.api",
    "Check": "collate.api",
    "Witness": "collate.model",
    "WitnessMeta": "collate.model",
    "VariantClass": "collate.model",
    "CollateError": "collate.errors",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:
    from .api import Check, Collation, Store, align, check, collate
    from .errors import CollateError
    from .model import VariantClass, Witness, WitnessMeta


def __getattr__(name: str) -> Any:
    """Import an entry point on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'collate' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
