"""collate: collate transcriptions of one document token by token.

Stages, one module each: `store` (witness files) -> `tokenize` -> `align` ->
`variants` -> `formats` / `report` (outputs); `fidelity` checks one
transcription against a reference.  Imports stay lazy: ``import collate`` loads
nothing heavy.
"""

__version__ = "0.1.0"
