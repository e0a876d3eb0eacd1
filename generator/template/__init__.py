"""The template: where every cell of a generated workbook lives, which formula it holds, and the
same rules in Python.

``layout`` places inputs, KPIs, targets and settings and names them; ``sheet_formulas``,
``dashboard_formulas``, ``chart_data_formulas`` and ``scorecard_formulas`` give each cell's Excel
formula; ``periods`` computes months, quarters, year to date and status in Python from the same
catalogue formulas. The writer (``generator.workbook``) and the validator (``generator.validate``)
both stand on this package, so what one writes the other expects.
"""
