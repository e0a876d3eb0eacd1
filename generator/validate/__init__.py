"""Validator: read back workbooks that people filled in, safely, and check them against their catalogue.

``run.validate(path, Options()) -> Report`` is the entry point (the CLI's ``kpigen validate`` is a
thin layer over it). One concept per module: ``safe_open`` (refuse hostile files), ``reader`` (one
streaming read, limits counted as it goes: ``xml_stream``, ``package``, ``sheet_cells``), ``book``
(cell access), ``identify`` and ``locate`` (the template, by properties and defined name),
``inputs`` (typed values, rules, continuity), ``formulas`` (compare with ``sheet_formulas``),
``recompute`` (KPI values and status by ``generator.template.periods``), ``findings`` and ``report`` (what
is reported, and how). Nothing is imported here, so importing the package stays cheap.
"""
