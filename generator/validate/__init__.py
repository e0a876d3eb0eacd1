"""Validator: read back workbooks that people filled in, safely, and check them against their catalogue.

``run.validate(path, Options()) -> Report`` is the entry point (the CLI's ``kpigen validate`` is a
thin layer over it). One concept per module: ``safe_open`` (refuse hostile files), ``book`` (the
two loads), ``template`` (identify and locate by defined name), ``inputs`` (typed values, rules,
continuity), ``formulas`` (compare with ``sheet_formulas``), ``recompute`` (KPI values and status
by ``generator.periods``), ``findings`` and ``report`` (what is reported, and how). Nothing is
imported here, so importing the package stays cheap.
"""
