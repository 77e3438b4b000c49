"""Every output of collate, one module per kind, each function returning one type.

- `collate.render.view`: the variant report's view model (`build_view`), made of plain values, from a
  `collate.synopsis.Synopsis`: rows are its passages (citable ids, ``p7.2``), each witness's cell
  filled by `collate.render.rows`; `collate.render.summary` lays out the witness cards, the
  similarity heat map grouped by family, the overview strip and each witness's coverage strip;
- `collate.render.report`: ``index.html`` (`render_html`) and ``collation.json`` (`to_json`);
- `collate.render.tei`: TEI P5 parallel segmentation that gives every witness back exactly;
- `collate.render.table`: the CollateX-compatible JSON table, CSV/TSV, a terminal table;
- `collate.render.check`: a transcription check as JSON, a terminal summary and HTML;
- `collate.render.environment`: the one Jinja environment, the pages' security policy.

Renderers never write files and never touch the model; the callers
(`collate.api`, the command line) write what they return.
"""
