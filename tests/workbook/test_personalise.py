"""A personalised base workbook equals, part for part, a build with that company (the second path).

The only part allowed to differ is docProps/core.xml, which holds the time of the build.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from generator.catalog import Catalog
from generator.errors import UserError
from generator.transfer.batch import tasks
from generator.transfer.batch_list import BatchRow
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions, footer_room
from generator.workbook.personalise import MARKER, Personaliser, can_personalise, personalise, prepare

NAMES = [
    "Acme & Co <Ltd> \"quoted\" 'single'",
    "Örnek Gıda A.Ş.",
    "Ünlü 😀 Şirket",
    "&&&",
    "x" * footer_room(),  # the longest name the footer shows whole
    "a" * (footer_room() // 2 - 1) + "&",  # '&' counts twice in the footer
]
NOT_PERSONALISED = [" leading space", "trailing space ", "_x0041_ escaped", "&" * (footer_room() // 2 + 1), ""]
"""The last but one: 51 characters, 102 once each "&" is doubled for the footer, so the footer is shortened."""


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
@pytest.mark.parametrize("company", NAMES)
def test_every_part_is_what_a_build_with_that_company_gives(
    request: pytest.FixtureRequest, catalog_name: str, company: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    options = BuildOptions(locale="tr", year=2027, first_month=4, currency="EUR", sample=True)
    assert can_personalise(company)
    base = build_workbook(catalog, replace(options, company=MARKER))
    personalised = personalise(base, company)
    assert personalised is not None
    direct = build_workbook(catalog, replace(options, company=company))
    assert parts(personalised.data) == parts(direct.data)
    assert personalised.options == direct.options


@pytest.mark.parametrize("company", NOT_PERSONALISED)
def test_names_a_substitution_cannot_reproduce_are_built(crm: Catalog, company: str) -> None:
    assert not can_personalise(company)
    options = BuildOptions(locale="en", company=company)
    personaliser = Personaliser(crm)
    assert parts(personaliser.build(options).data) == parts(build_workbook(crm, options).data)
    assert personaliser.bases == {}


@pytest.mark.parametrize("company", ["tab\there", "line\u2028separator", "C1\x85control", "x" * 101])
def test_a_name_a_build_refuses_is_refused_the_same_way(crm: Catalog, company: str) -> None:
    options = BuildOptions(company=company)
    with pytest.raises(UserError) as direct:
        build_workbook(crm, options)
    with pytest.raises(UserError) as personalised:
        Personaliser(crm).build(options)
    assert personalised.value.message == direct.value.message


def test_one_base_per_set_of_other_options(crm: Catalog) -> None:
    personaliser = Personaliser(crm)
    for company in ("A", "B", "C"):
        assert personaliser.build(BuildOptions(locale="en", company=company)).options.company == company
    assert len(personaliser.bases) == 1
    personaliser.build(BuildOptions(locale="tr", company="A"))
    assert len(personaliser.bases) == 2


def test_a_name_in_a_form_the_substitution_does_not_know_is_built(crm: Catalog) -> None:
    """Here the base's name also shows upper-cased (as a title might): no personalised workbook then."""
    base = build_workbook(crm, BuildOptions(company=MARKER))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base.data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/app.xml":
                data = data.replace(b"</Company>", b"</Company><Manager>" + MARKER.upper().encode() + b"</Manager>")
            target.writestr(info, data)
    assert personalise(replace(base, data=out.getvalue()), "Acme") is None
    assert personalise(base, "Acme") is not None


def rows(options: list[BuildOptions]) -> list[BatchRow]:
    return [BatchRow(n + 2, f"w{n}.xlsx", o) for n, o in enumerate(options)]


def test_batch_tasks_keep_a_base_in_one_worker_unless_it_is_most_of_the_batch() -> None:
    mixed = rows(
        [BuildOptions(locale="tr" if n % 2 else "en", company=f"C{n}", first_month=1 + n % 3) for n in range(60)]
    )
    split = tasks(mixed, 2)
    assert sorted(len(t) for t in split) == [10] * 6
    assert all(len({replace(r.options, company="") for r in task}) == 1 for task in split)
    assert sorted(r.line for t in split for r in t) == [r.line for r in mixed]
    one_shape = rows([BuildOptions(company=f"C{n}") for n in range(100)])
    assert [len(t) for t in tasks(one_shape, 2)] == [50, 50]


@pytest.mark.parametrize("catalog_name", ["crm", "bsc"])
def test_a_prepared_base_writes_the_very_package_of_the_plain_substitution(
    request: pytest.FixtureRequest, catalog_name: str
) -> None:
    """The fast path (parts kept compressed, deflate resumed after the prefix) changes no byte: the
    whole package equals what ``personalise`` writes with zipfile, central directory included."""
    catalog: Catalog = request.getfixturevalue(catalog_name)
    base = build_workbook(catalog, BuildOptions(locale="tr", company=MARKER, sample=True, currency="EUR"))
    prepared = prepare(base)
    assert prepared is not None
    for company in NAMES:
        slow = personalise(base, company)
        fast = prepared.personalise(company)
        assert slow is not None and fast is not None
        assert fast.data == slow.data
        assert fast.options == slow.options
    assert prepared.personalise("Acme KPIGEN-company") is None  # the marker's word in the name itself
