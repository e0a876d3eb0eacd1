"""Every XML part of generated workbooks validates against the ISO/IEC 29500-4 transitional schemas.

Cached values change the XML (text results carry ``t="str"``, errors ``t="e"``), so each part of
each generated workbook (crm and bsc, English and Turkish, empty and filled) is validated with
lxml against the standard's schemas: 0 errors. Excel-only extensions (sparklines) sit in
``extLst``, which the schemas leave open.

No package on PyPI, npm or Debian ships these schemas (searched for this test: openxml-audit
carries them as JSON, not XSD), and the project may not commit copies taken from other
repositories. So the folder comes from ``KPIGEN_OOXML_SCHEMAS`` (any folder holding ``sml.xsd``
and its companions, such as a copy of the standard's transitional schema files). Without it the
test is skipped and says why; with it, a missing schema file fails. What CI always runs is
``test_openxml_audit.py``: the Open XML SDK's constraints, which are generated from these schemas.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

from .test_recalculation import random_values

etree = pytest.importorskip("lxml.etree")

FOLDER = os.environ.get("KPIGEN_OOXML_SCHEMAS", "")
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
PARTS = {
    # part name (prefix, suffix) -> schema file
    ("xl/worksheets/sheet", ".xml"): "sml.xsd",
    ("xl/workbook", ".xml"): "sml.xsd",
    ("xl/styles", ".xml"): "sml.xsd",
    ("xl/sharedStrings", ".xml"): "sml.xsd",
    ("xl/charts/chart", ".xml"): "dml-chart.xsd",
    ("xl/drawings/drawing", ".xml"): "dml-spreadsheetDrawing.xsd",
    ("xl/theme/theme", ".xml"): "dml-main.xsd",
    ("docProps/app", ".xml"): "shared-documentPropertiesExtended.xsd",
    ("docProps/custom", ".xml"): "shared-documentPropertiesCustom.xsd",
    ("docProps/core", ".xml"): "opc-coreProperties.xsd",
    ("[Content_Types]", ".xml"): "opc-contentTypes.xsd",
    ("", ".rels"): "opc-relationships.xsd",
}
DUBLIN_CORE = {
    # The core-properties schema imports Dublin Core's schemas by URL (no network here): loose
    # stand-ins that declare its elements, so the rest of docProps/core.xml is still checked.
    "dc.xsd": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://purl.org/dc/elements/1.1/"
  elementFormDefault="qualified">{elements}</xs:schema>""",
    "dcterms.xsd": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://purl.org/dc/terms/"
  elementFormDefault="qualified">{elements}
  <xs:complexType name="W3CDTF"><xs:simpleContent><xs:extension base="xs:dateTime"/></xs:simpleContent></xs:complexType>
</xs:schema>""",
}
DC_ELEMENTS = {
    "dc.xsd": ["title", "subject", "creator", "description", "language", "identifier"],
    "dcterms.xsd": ["created", "modified"],
}


class _DublinCore(etree.Resolver):  # type: ignore[misc]
    def resolve(self, url: str, _id: str, context: object) -> object:
        name = url.rsplit("/", 1)[-1]
        if name in DUBLIN_CORE:
            elements = "".join(f'<xs:element name="{e}" type="xs:anyType"/>' for e in DC_ELEMENTS[name])
            return self.resolve_string(DUBLIN_CORE[name].format(elements=elements), context)
        return None


@pytest.fixture(scope="module")
def schemas() -> dict[str, object]:
    if not FOLDER:
        pytest.skip(
            "no registry package ships the ISO/IEC 29500-4 transitional XSDs; set KPIGEN_OOXML_SCHEMAS "
            "to a folder holding sml.xsd and its companions to run this check"
        )
    found: dict[str, object] = {}
    files = {path.name: path for path in Path(FOLDER).rglob("*.xsd")}
    for name in sorted(set(PARTS.values())):
        assert name in files, f"{name} is not in KPIGEN_OOXML_SCHEMAS={FOLDER}"
        parser = etree.XMLParser(no_network=True)
        parser.resolvers.add(_DublinCore())
        tree = etree.parse(str(files[name]), parser)
        for imported in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
            if imported.get("namespace") == XML_NAMESPACE and not imported.get("schemaLocation"):
                assert "xml.xsd" in files, f"xml.xsd is not in KPIGEN_OOXML_SCHEMAS={FOLDER}"
                imported.set("schemaLocation", files["xml.xsd"].resolve().as_uri())
        found[name] = etree.XMLSchema(tree)
    return found


def _schema_for(part: str) -> str | None:
    for (prefix, suffix), schema in PARTS.items():
        if part.startswith(prefix) and part.endswith(suffix):
            return schema
    return None


CASES = [(c, loc, fill) for c in ("crm", "bsc") for loc in ("en", "tr") for fill in ("empty", "filled")]


@pytest.mark.parametrize(("catalog_name", "locale", "fill"), CASES)
def test_every_part_is_valid(
    request: pytest.FixtureRequest, schemas: dict[str, object], catalog_name: str, locale: str, fill: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    values = random_values(catalog, 3) if fill == "filled" else None
    data = build_workbook(catalog, BuildOptions(locale=locale, first_month=4), values).data
    errors: list[str] = []
    checked = 0
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for part in package.namelist():
            schema = _schema_for(part)
            assert schema is not None, f"{part}: no schema known for this part"
            document = etree.parse(io.BytesIO(package.read(part)))
            validator = schemas[schema]
            if not validator.validate(document):  # type: ignore[attr-defined]
                errors += [f"{part}:{e.line}: {e.message}" for e in validator.error_log]  # type: ignore[attr-defined]
            checked += 1
    assert checked > 15 and errors == [], "\n".join(errors[:20])
