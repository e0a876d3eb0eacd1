"""A profile against a catalogue: every measure names a real input, with an aggregate that fits it.

A distinct input (customers who bought) summed or counted row by row would count one customer
twice; an opening stock measured as a flow would add months up. These are found before any
data is read, each at the line of the measure that has it.
"""

from __future__ import annotations

from generator.catalog import Catalog
from generator.catalog.model import Aggregation
from generator.transfer.raw.model import MeasureKind
from generator.transfer.raw.profile import Profile

_FITS: dict[Aggregation, tuple[MeasureKind, ...]] = {
    Aggregation.FLOW: (MeasureKind.COUNT, MeasureKind.SUM, MeasureKind.COUNT_DISTINCT),
    Aggregation.DISTINCT: (MeasureKind.COUNT_DISTINCT,),
    Aggregation.OPENING: (MeasureKind.OPENING,),
    Aggregation.CLOSING: (MeasureKind.CLOSING,),
    Aggregation.LEVEL: (MeasureKind.AVERAGE,),
}


def check_profile(profile: Profile, catalog: Catalog) -> tuple[list[str], list[str]]:
    """(problems, warnings), each ``file:line:column: message``."""
    problems: list[str] = []
    warnings: list[str] = []
    for input_id, measure in profile.measures.items():
        at = profile.where(("measures", input_id))
        spec = catalog.inputs.get(input_id)
        if spec is None:
            problems.append(f"{at}: '{input_id}' is not an input of catalogue '{catalog.id}'")
            continue
        fits = _FITS[spec.aggregation]
        if measure.kind not in fits:
            kinds = " or ".join(str(kind) for kind in fits)
            problems.append(
                f"{profile.where(('measures', input_id, 'kind'))}: '{input_id}' is a {spec.aggregation} input; "
                f"a {measure.kind} measure does not give it (use {kinds})"
            )
    for i, input_id in enumerate(profile.unmeasured):
        at = profile.where(("unmeasured", i))
        if input_id not in catalog.inputs:
            problems.append(f"{at}: '{input_id}' is not an input of catalogue '{catalog.id}'")
        elif input_id in profile.measures:
            problems.append(f"{at}: '{input_id}' is measured above and listed as unmeasured")
    left = [i for i in catalog.inputs if i not in profile.measures and i not in profile.unmeasured]
    if left:
        warnings.append(
            f"{profile.where(('unmeasured',))}: neither measured nor listed as unmeasured: {', '.join(left)}"
        )
    return problems, warnings
