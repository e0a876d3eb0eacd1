"""XlsxWriter's worksheet with faster paths for the formulas and sparklines this project writes.

Before storing a formula XlsxWriter runs about forty regular expressions over it to add the
``_xlfn.`` prefixes that functions newer than Excel 2007 need; that was four fifths of a build.
The formulas here call only functions every Excel has known since 2007, so for them the
rewriting can only ever leave the text as it is: skip it, and fall back to XlsxWriter's own
preparation for any formula that calls something else.

Every change is confined to ``FormulaWorksheet``: XlsxWriter itself is not patched, so another
library's worksheets in the same process behave as XlsxWriter wrote them. The methods overridden
here were read against XlsxWriter 3.2.0 and 3.3.1 (the sources of both); pyproject.toml caps
XlsxWriter below 4, and tests/workbook/test_golden.py fails on any byte that changes.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import CellBlankTuple, CellFormulaTuple, CellNumberTuple, CellStringTuple

from generator.workbook.validations import KeptValidations

try:
    from xlsxwriter.utility import _get_sparkline_style as _style_table
except ImportError:  # XlsxWriter 3.2 names it without the underscore
    from xlsxwriter.utility import get_sparkline_style as _style_table

_SPARKLINE_OPTIONS = frozenset(
    {"range", "type", "style", "high_point", "low_point", "negative_points", "first_point", "last_point", "markers"}
    | {"series_color", "negative_color", "markers_color", "first_color", "last_color", "high_color", "low_color"}
    | {"max", "min", "axis", "reverse", "empty_cells", "show_hidden", "weight"}
)
"""The sparkline options ``FormulaWorksheet.add_sparkline`` handles itself; any other goes to XlsxWriter."""
_SPARKLINE_COLOURS = ("series", "negative", "markers", "first", "last", "high", "low")
_EMPTY_CELLS = {"zero": 0, "connect": "span"}


@functools.cache
def sparkline_style(style_id: int) -> dict[str, Any]:
    """One of XlsxWriter's 36 sparkline styles; XlsxWriter builds all 36 (252 colours) to give one,
    1.1 ms a sparkline, 11% of a dashboard's build, so each is built once and only read after."""
    return dict(_style_table(style_id))


CLASSIC_FUNCTIONS = frozenset(
    {
        "ABS",
        "AND",
        "AVERAGE",
        "COUNT",
        "IF",
        "IFERROR",
        "INDEX",
        "INT",
        "ISNUMBER",
        "MATCH",
        "MAX",
        "MIN",
        "MOD",
        "NA",
        "NOT",
        "OR",
        "SUM",
    }
)
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


def only_classic_functions(formula: str) -> bool:
    """True when every function the formula calls needs no ``_xlfn.`` prefix.

    Such a formula also calls none of the dynamic-array functions XlsxWriter looks for: each of
    those is a name followed by ``(``, and every such name is found here (within a longer name
    when letters, digits, ``_`` or ``.`` precede it), none of them a classic function's name or
    the end of one. Answers are kept per formula text (``_CLASSIC``): a process that builds the
    same catalogue again (a batch, the server) writes the same formulas."""
    found = _CLASSIC.get(formula)
    if found is None:
        names = _CALL.findall(formula)
        found = CLASSIC_FUNCTIONS.issuperset(names) or CLASSIC_FUNCTIONS.issuperset(name.upper() for name in names)
        if len(_CLASSIC) >= _MOST_CLASSIC:
            _CLASSIC.clear()
        _CLASSIC[formula] = found
    return found


_CLASSIC: dict[str, bool] = {}
_MOST_CLASSIC = 20_000
"""Formulas whose answer is kept, at most (a CRM workbook writes about 3,000): past it the table starts again."""


class _EmptyText(str):
    """The cached result "" of a formula: XlsxWriter writes a plain "" without a type (read back
    as a number by some readers), this marker as ``t="str"`` with an empty value."""

    __slots__ = ()


EMPTY_TEXT = _EmptyText("\u2400")

_ERROR_CODES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
"""The cached results XlsxWriter marks ``t="e"``."""
_COLUMNS: dict[int, str] = {}
_INFINITY = float("inf")
_EXPRESSION_OPTIONS = frozenset({"type", "criteria", "format"})
"""The options of the formula rules ``FormulaWorksheet.conditional_format`` stores itself."""


def _text(data: str) -> str:
    """XlsxWriter's ``_escape_data``: ``&``, ``<`` and ``>`` escaped, quotes and newlines kept."""
    if "&" in data or "<" in data or ">" in data:
        return data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return data


def _column(col: int) -> str:
    found = _COLUMNS.get(col)
    if found is None:
        found = _COLUMNS[col] = xl_col_to_name(col)
    return found


class FormulaWorksheet(KeptValidations):
    """XlsxWriter's worksheet with the project's fast paths (see the module's docstring).

    Overrides, read against XlsxWriter 3.2.0 and 3.3.1: ``_xml_formula_element``,
    ``_prepare_formula``, ``_write_formula``, ``_write_rows`` and ``_write_cf_rule`` (private), and
    ``add_sparkline`` and ``conditional_format`` (public, but they fill the private ``sparklines``
    and ``cond_formats`` entries the XML writer reads, key for key as XlsxWriter's own do).
    """

    def add_sparkline(self, row: int, col: int, options: dict[str, Any] | None = None) -> int:
        """XlsxWriter's ``add_sparkline`` for one cell and one range, with the style's colours read
        from ``sparkline_style`` (built once) rather than from a table built for every sparkline.

        Other uses (several locations, win/loss, a date axis, a cell outside the sheet) are
        XlsxWriter's own, warnings included.
        """
        options = options or {}
        spark_range = options.get("range")
        handled = (
            isinstance(spark_range, str)
            and _SPARKLINE_OPTIONS.issuperset(options)
            and options.get("type", "line") in ("line", "column")
        )
        if not handled or self._check_dimensions(row, col, True, True):
            return int(super().add_sparkline(row, col, options))
        assert isinstance(spark_range, str)
        text = spark_range.replace("$", "").lstrip("=")
        if "!" not in text:
            text = quote_sheetname(self.name) + "!" + text
        sparkline: dict[str, Any] = {
            "locations": [xl_rowcol_to_cell(row, col)],
            "type": options.get("type", "line"),
            "ranges": [text],
            "count": 1,
            "high": options.get("high_point"),
            "low": options.get("low_point"),
            "negative": options.get("negative_points"),
            "first": options.get("first_point"),
            "last": options.get("last_point"),
            "markers": options.get("markers"),
            "min": options.get("min"),
            "max": options.get("max"),
            "axis": options.get("axis"),
            "reverse": options.get("reverse"),
            "hidden": options.get("show_hidden"),
            "weight": options.get("weight"),
            "empty": _EMPTY_CELLS.get(options.get("empty_cells", ""), "gap"),
            "date_axis": None,
        }
        style = sparkline_style(options.get("style", 0))
        for name in _SPARKLINE_COLOURS:
            sparkline[f"{name}_color"] = style[name]
        for name in _SPARKLINE_COLOURS:
            self._set_spark_color(sparkline, options, f"{name}_color")  # the user's colours, as XlsxWriter sets them
        self.sparklines.append(sparkline)
        return 0

    def conditional_format(self, *args: Any, **kwargs: Any) -> int:
        """XlsxWriter's ``conditional_format`` for a formula rule (``type``, ``criteria``, ``format``)
        on a block given by numbers: the same rule stored, without building XlsxWriter's tables of
        every option, type, criterion and icon for each call (a dashboard adds hundreds of rules).
        Any other rule or call is XlsxWriter's own, warnings included."""
        if kwargs or len(args) != 5 or self.use_data_bars_2010:
            return int(super().conditional_format(*args, **kwargs))
        first_row, first_col, last_row, last_col, options = args
        criteria = options.get("criteria") if isinstance(options, dict) else None
        if (
            not all(type(number) is int for number in args[:4])
            or options.get("type") != "formula"
            or not _EXPRESSION_OPTIONS.issuperset(options)
            or not isinstance(criteria, str)
            or not criteria.startswith("=")
            or criteria in ("=", "==")  # XlsxWriter's names of the "equal" criterion
        ):
            return int(super().conditional_format(*args, **kwargs))
        if self._check_dimensions(first_row, first_col, True, True):
            return -1
        if self._check_dimensions(last_row, last_col, True, True):
            return -1
        rule = dict(options, type="expression")
        if rule.get("format"):
            rule["format"] = rule["format"]._get_dxf_index()
        rule["priority"] = self.dxf_priority
        self.dxf_priority += 1
        first_row, last_row = min(first_row, last_row), max(first_row, last_row)
        first_col, last_col = min(first_col, last_col), max(first_col, last_col)
        self.cond_formats.setdefault(xl_range(first_row, first_col, last_row, last_col), []).append(rule)
        return 0

    def _write_cf_rule(self, params: dict[str, Any]) -> None:
        """A formula rule's ``<cfRule>`` start tag written directly (its attributes are numbers and fixed
        words, nothing to escape); its formula by XlsxWriter's own ``_write_formula_element``."""
        if params["type"] != "expression":
            super()._write_cf_rule(params)
            return
        dxf = f' dxfId="{params["format"]}"' if params.get("format") is not None else ""
        stop = ' stopIfTrue="1"' if params.get("stop_if_true") else ""
        self.fh.write(f'<cfRule type="expression"{dxf} priority="{params["priority"]}"{stop}>')
        self._write_formula_element(params["criteria"])
        self.fh.write("</cfRule>")

    def _xml_formula_element(self, formula: str, result: Any, attributes: Any = ()) -> None:
        if result is EMPTY_TEXT:
            result = ""
        super()._xml_formula_element(formula, result, attributes)

    def _prepare_formula(self, formula: str, *args: Any, **kwargs: Any) -> str:
        if not only_classic_functions(formula):
            return str(super()._prepare_formula(formula, *args, **kwargs))
        return _trimmed(formula)

    def write_formula(self, *args: Any, **kwargs: Any) -> int:
        """XlsxWriter's ``write_formula``; a call by row and column numbers goes straight to
        ``_write_formula``, without the decorator that reads "A1" addresses (a call per formula cell)."""
        if not kwargs and 3 <= len(args) <= 5 and args[0].__class__ is int and args[1].__class__ is int:
            return self._write_formula(*args)
        return int(super().write_formula(*args, **kwargs))

    def write_number(self, *args: Any, **kwargs: Any) -> int:
        """XlsxWriter's ``write_number``, by numbers straight to ``_write_number`` (see ``write_formula``)."""
        if not kwargs and 3 <= len(args) <= 4 and args[0].__class__ is int and args[1].__class__ is int:
            return int(self._write_number(*args))
        return int(super().write_number(*args, **kwargs))

    def _write_number(self, row: int, col: int, number: Any, cell_format: Any = None) -> int:
        """XlsxWriter's ``_write_number`` for a finite float: the same cell stored, without its checks
        for NaN, infinities and fractions (a finite float is none of them). Anything else is XlsxWriter's."""
        if number.__class__ is not float or not -_INFINITY < number < _INFINITY or self.constant_memory:
            return int(super()._write_number(row, col, number, cell_format))
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellNumberTuple(number, cell_format)
        return 0

    def write_blank(self, *args: Any, **kwargs: Any) -> int:
        """XlsxWriter's ``write_blank``, by numbers straight to ``_write_blank`` (see ``write_formula``)."""
        if not kwargs and 3 <= len(args) <= 4 and args[0].__class__ is int and args[1].__class__ is int:
            return int(self._write_blank(*args))
        return int(super().write_blank(*args, **kwargs))

    def write_string(self, *args: Any, **kwargs: Any) -> int:
        """XlsxWriter's ``write_string``, by numbers straight to ``_write_string`` (see ``write_formula``)."""
        if not kwargs and 3 <= len(args) <= 4 and args[0].__class__ is int and args[1].__class__ is int:
            return int(self._write_string(*args))
        return int(super().write_string(*args, **kwargs))

    def _write_formula(self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0) -> int:
        """XlsxWriter's ``_write_formula`` for a formula of classic functions only: the same cell
        stored, without its search for dynamic-array functions (there are none, see
        ``only_classic_functions``) or a second look at the function names. Anything else, an
        array formula and constant-memory mode are XlsxWriter's own."""
        if (
            self.constant_memory
            or not formula
            or (formula[0] == "{" and formula[-1] == "}")
            or not only_classic_functions(formula)
        ):
            return int(super()._write_formula(row, col, formula, cell_format, value))
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(_trimmed(formula), cell_format, value)
        return 0

    def _calculate_spans(self) -> None:
        """XlsxWriter's ``_calculate_spans`` (each block of 16 rows' first and last used column, cells
        and comments) from each row's own columns, not by trying every column of the sheet in every row."""
        if self.dim_colmin is None:
            super()._calculate_spans()
            return
        spans: dict[int, str] = {}
        low, high, span_min, span_max = self.dim_colmin, self.dim_colmax, -1, -1
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            for cells in (self.table, self.comments):
                cols = [col for col in cells[row] if low <= col <= high] if row in cells else ()
                if cols:
                    first, last = min(cols), max(cols)
                    span_min, span_max = (first, last) if span_min < 0 else (min(span_min, first), max(span_max, last))
            if ((row + 1) % 16 == 0 or row == self.dim_rowmax) and span_min >= 0:
                spans[int(row / 16)] = f"{span_min + 1}:{span_max + 1}"
                span_min = -1
        self.row_spans = spans

    def _write_rows(self) -> None:
        """XlsxWriter's ``_write_rows`` with its innermost loop inlined: each cell of the kinds a build
        writes (number, shared string, formula, blank) as one string, a row's cells written at once.

        XlsxWriter builds an attribute list and escapes every attribute of every cell through a
        regular expression; a fifth of a build's CPU. The text written is the same (each branch
        mirrors ``Worksheet._write_cell``); any other kind of cell, and constant-memory mode, go
        through XlsxWriter's own methods, as does XlsxWriter 3.2 (its row settings are kept elsewhere).
        """
        if self.constant_memory or not hasattr(self, "row_info"):
            super()._write_rows()
            return
        self._calculate_spans()
        write = self.fh.write
        table, row_info, comments, spans, col_info = (
            self.table,
            self.row_info,
            self.comments,
            self.row_spans,
            self.col_info,
        )
        styles: dict[int, str] = {}  # a format's s="..." by the format's id: each format is looked up once
        columns = _COLUMNS
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row)
            info = row_info.get(row)
            if not cells:
                if info is not None or row in comments:
                    self._write_empty_row(row, spans.get(row // 16), info)
                continue
            self._write_row(row, spans.get(row // 16), info)
            number = str(row + 1)
            row_format = info.row_format if info is not None else None
            parts: list[str] = []
            for col in sorted(cells):
                found = cells[col]
                cell_format = found.format
                if cell_format:
                    style = styles.get(id(cell_format))
                    if style is None:
                        style = styles[id(cell_format)] = f' s="{cell_format._get_xf_index()}"'
                elif row_format:
                    style = f' s="{row_format._get_xf_index()}"'
                elif col in col_info and col_info[col].column_format is not None:
                    style = f' s="{col_info[col].column_format._get_xf_index()}"'
                else:
                    style = ""
                kind = found.__class__
                letters = columns.get(col) or _column(col)
                if kind is CellFormulaTuple:
                    value = found.value
                    if value.__class__ is float or value.__class__ is int:  # most results: no type, no escaping
                        tail = f"><f>{_text(found.formula)}</f><v>{value}</v></c>"
                    else:
                        tail = _formula_value(found.formula, value)
                    parts.append(f'<c r="{letters}{number}"{style}{tail}')
                elif kind is CellNumberTuple:
                    parts.append(f'<c r="{letters}{number}"{style}><v>{found.number:.16G}</v></c>')
                elif kind is CellStringTuple:
                    parts.append(f'<c r="{letters}{number}"{style} t="s"><v>{found.string}</v></c>')
                elif kind is CellBlankTuple:
                    parts.append(f'<c r="{letters}{number}"{style}/>')
                else:  # rich strings, booleans, array formulas, errors: XlsxWriter's own writer, in order
                    write("".join(parts))
                    parts.clear()
                    self._write_cell(row, col, found)
            parts.append("</row>")
            write("".join(parts))


def _trimmed(formula: str) -> str:
    """The same trimming XlsxWriter does first: array braces and the leading '='."""
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    if formula.endswith("}"):
        formula = formula[:-1]
    return formula


def _formula_value(formula: str, value: Any) -> str:
    """The rest of a formula cell after its address and style, as ``Worksheet._write_cell`` and
    ``FormulaWorksheet._xml_formula_element`` write it: the result's type, the formula, the result."""
    kind = ""
    if isinstance(value, bool):
        kind, value = ' t="b"', int(value)
    elif isinstance(value, str):
        if value is EMPTY_TEXT:
            kind, value = ' t="str"', ""
        elif value:
            kind, value = (' t="e"' if value in _ERROR_CODES else ' t="str"'), _text(value)
    return f"{kind}><f>{_text(formula)}</f><v>{value}</v></c>"
