"""The commented starting file ``kpigen catalog new --extends crm`` writes.

It is a valid catalogue as written (it adds nothing yet), and each section shows, commented
out, what a user would write there, with the base's own ids and locales so an uncommented
example checks clean once its texts are filled in.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.catalog.catalog import Catalog


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def starter_text(base: Catalog, spec: str, new_id: str, name: str = "my.yaml") -> str:
    """The starting file ``name`` for a catalogue extending ``base`` (named ``spec`` in ``extends:``)."""
    codes = list(base.locales)
    texts = "{" + ", ".join(f"{code}: {_q('…')}" for code in codes) + "}"
    title = "\n".join(f"  {code}: {_q(base.title.get(code, base.title[base.default_locale]))}" for code in codes)
    category = next(iter(base.categories))
    perspective = next(iter(base.perspectives))
    first_kpi = next((k for k, kpi in base.kpis.items() if kpi.better.value != "info" and kpi.target), "")
    first_kpi = first_kpi or next(iter(base.kpis))
    example_target = f"{(base.kpis[first_kpi].target or 1) * 1.1:g}"
    number = max(k.number for k in base.kpis.values()) + 1
    kpi_texts = "\n".join(
        f"#      {code}: {{name: {_q('…')}, description: {_q('…')}, reading: {_q('…')}, formula: {_q('…')}}}"
        for code in codes
    )
    example_input = next(iter(base.inputs))
    return f"""\
# A KPI catalogue built on '{spec}' ({base.id} {base.version}): it has every input, KPI, rule and
# scorecard goal of '{spec}', plus what you add below. Check it, then build with it:
#   kpigen catalog check {name}
#   kpigen build --catalog {name} --out output/mine.xlsx
# A workbook of '{base.id}' moves to this catalogue with every value kept:
#   kpigen regenerate FILLED.xlsx --catalog {name} --out output/mine-filled.xlsx
# Every field: 'kpigen catalog schema'. A worked example: docs/custom-kpis.md.
# Ids are lowercase letters, digits and _ ; every text is needed in each of: {", ".join(codes)}.
id: {new_id}
version: "1.0.0"
extends: {spec}
default_locale: {base.default_locale}
locales: [{", ".join(codes)}]
title:
{title}

# Your own monthly inputs (what your KPIs' formulas read besides the base's inputs).
inputs: []
#  - id: my_input
#    category: {category}   # categories: {", ".join(base.categories)}
#    unit: count            # count, currency, percent, ratio, minutes, days, years, points, number, score
#    aggregation: flow      # flow (summed over months), opening, closing, level (averaged), distinct
#    integer: true
#    min: 0
#    name: {texts}
#    help: {texts}

# Your own KPIs; a formula reads input ids (the base's or yours) with + - * / and parentheses.
kpis: []
#  - id: my_kpi
#    number: {number}            # after the base's last KPI
#    category: {category}
#    perspective: {perspective}   # perspectives: {", ".join(base.perspectives)}
#    unit: percent          # as for inputs
#    decimals: 1
#    better: higher         # higher, lower, or info (no target)
#    formula: my_input / {example_input}
#    target: 0.2
#    tolerance: 0.1         # a fraction of the target: 0.1 = within 10% is "at risk"
#    texts:
{kpi_texts}

# Changes to the base's KPIs and inputs: leave out what stays as it is.
change:
  kpis: []
#    - id: {first_kpi}
#      target: {example_target}   # a money KPI takes targets per currency instead: targets: {{USD: 30}}
#      tolerance: 0.2
#      headline: true       # chart it for its category on the dashboard
#      texts:
#        {base.default_locale}: {{name: {_q("…")}}}
  inputs: []
#    - id: {example_input}
#      help: {texts}

# Base KPIs to leave out; inputs only they read go with them.
drop: []
#  - {first_kpi}
"""


def default_id(base: Catalog, out: Path | None) -> str:
    """``my_crm`` for a base ``crm``, or the output file's name when it is a usable id."""
    import re

    stem = out.stem.lower().replace("-", "_") if out is not None else ""
    if re.fullmatch(r"[a-z][a-z0-9_]{0,39}", stem) and stem != base.id:
        return stem
    return f"my_{base.id}"[:40]
