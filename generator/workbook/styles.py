"""The workbook's look: one palette, and every cell format created once per workbook.

XlsxWriter formats are workbook objects; creating one per cell bloats the file and the build
time, so sheets ask this cache for a named style (plus a number format) instead.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

FONT = "Calibri"
NAVY = "#1F3864"
INK = "#262626"
MUTED = "#7F7F7F"
RULE = "#D9D9D9"
INPUT_FILL = "#FFF2CC"
INPUT_BORDER = "#BF9000"
FORMULA_FILL = "#F2F2F2"
PAPER = "#FFFFFF"
ON_TRACK = ("#C6EFCE", "#006100")
AT_RISK = ("#FFEB9C", "#9C5700")
OFF_TRACK = ("#FFC7CE", "#9C0006")
CATEGORY_COLOURS = ["#2E75B6", "#548235", "#C55A11", "#7030A0", "#BF8F00", "#1F7A7A", "#A5307A", "#4A5A6A"]

_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 20, "font_color": NAVY},
    "subtitle": {"font_size": 11, "font_color": MUTED, "italic": True},
    "heading": {"bold": True, "font_size": 13, "font_color": NAVY, "bottom": 2, "bottom_color": NAVY},
    "text": {"font_color": INK, "valign": "top"},
    "wrap": {"font_color": INK, "text_wrap": True, "valign": "top"},
    "wrap_bold": {"font_color": INK, "text_wrap": True, "valign": "top", "bold": True},
    "muted": {"font_color": MUTED, "font_size": 9, "text_wrap": True, "valign": "vcenter"},
    "link": {"font_color": "#0563C1", "underline": 1},
    "nav": {
        "font_color": "#0563C1",
        "bg_color": "#DDEBF7",
        "bold": True,
        "underline": 1,
        "align": "center",
        "valign": "vcenter",
        "border": 1,
        "border_color": PAPER,
    },
    "step": {
        "font_color": "#FFFFFF",
        "bg_color": NAVY,
        "bold": True,
        "align": "center",
        "valign": "vcenter",
        "border": 1,
        "border_color": PAPER,
    },
    "back": {"font_color": "#0563C1", "underline": 1, "font_size": 9},
    "header": {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": NAVY,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
        "border": 1,
        "border_color": PAPER,
    },
    "header_left": {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": NAVY,
        "valign": "vcenter",
        "border": 1,
        "border_color": PAPER,
    },
    "group": {"bold": True, "font_color": "#FFFFFF", "valign": "vcenter"},
    "label": {"font_color": INK, "valign": "vcenter", "bottom": 1, "bottom_color": RULE},
    "label_bold": {"bold": True, "font_color": INK, "valign": "vcenter", "bottom": 1, "bottom_color": RULE},
    "unit": {
        "font_color": MUTED,
        "font_size": 9,
        "align": "center",
        "valign": "vcenter",
        "bottom": 1,
        "bottom_color": RULE,
    },
    "input": {"bg_color": INPUT_FILL, "border": 1, "border_color": INPUT_BORDER, "locked": False, "valign": "vcenter"},
    "input_text": {
        "bg_color": INPUT_FILL,
        "border": 1,
        "border_color": INPUT_BORDER,
        "locked": False,
        "valign": "vcenter",
        "align": "left",
    },
    "formula": {"bg_color": FORMULA_FILL, "border": 1, "border_color": RULE, "valign": "vcenter"},
    "formula_bold": {"bg_color": FORMULA_FILL, "border": 1, "border_color": RULE, "bold": True, "valign": "vcenter"},
    "status": {
        "bg_color": FORMULA_FILL,
        "border": 1,
        "border_color": RULE,
        "align": "center",
        "bold": True,
        "valign": "vcenter",
    },
    "legend_input": {"bg_color": INPUT_FILL, "border": 1, "border_color": INPUT_BORDER},
    "legend_formula": {"bg_color": FORMULA_FILL, "border": 1, "border_color": RULE},
    "legend_on": {"bg_color": ON_TRACK[0], "font_color": ON_TRACK[1], "border": 1, "border_color": RULE},
    "legend_risk": {"bg_color": AT_RISK[0], "font_color": AT_RISK[1], "border": 1, "border_color": RULE},
    "legend_off": {"bg_color": OFF_TRACK[0], "font_color": OFF_TRACK[1], "border": 1, "border_color": RULE},
    "card_title": {
        "bold": True,
        "font_color": "#FFFFFF",
        "font_size": 10,
        "text_wrap": True,
        "valign": "vcenter",
        "indent": 1,
    },
    "card_value": {
        "bold": True,
        "font_size": 20,
        "font_color": NAVY,
        "align": "center",
        "valign": "vcenter",
        "bg_color": PAPER,
        "left": 1,
        "right": 1,
        "left_color": RULE,
        "right_color": RULE,
    },
    "card_label": {
        "font_size": 9,
        "font_color": MUTED,
        "bg_color": PAPER,
        "left": 1,
        "left_color": RULE,
        "indent": 1,
        "valign": "vcenter",
    },
    "card_number": {
        "font_size": 9,
        "font_color": INK,
        "bg_color": PAPER,
        "right": 1,
        "right_color": RULE,
        "align": "right",
        "valign": "vcenter",
    },
    "card_status": {
        "font_size": 10,
        "bold": True,
        "align": "center",
        "valign": "vcenter",
        "bg_color": FORMULA_FILL,
        "left": 1,
        "right": 1,
        "left_color": RULE,
        "right_color": RULE,
    },
    "card_spark": {
        "bg_color": PAPER,
        "left": 1,
        "right": 1,
        "bottom": 1,
        "left_color": RULE,
        "right_color": RULE,
        "bottom_color": RULE,
    },
    "selector": {
        "bold": True,
        "font_size": 14,
        "font_color": NAVY,
        "bg_color": INPUT_FILL,
        "border": 2,
        "border_color": INPUT_BORDER,
        "locked": False,
        "align": "center",
        "valign": "vcenter",
    },
    "selector_shown": {"bold": True, "font_size": 12, "font_color": NAVY, "valign": "vcenter"},
    "selector_label": {"bold": True, "font_size": 12, "font_color": NAVY, "align": "right", "valign": "vcenter"},
}


class Styles:
    """Named formats, each created once, optionally with a number format or a colour."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[str, str, str], Format] = {}
        workbook.formats[0].set_font_name(FONT)

    def __call__(self, name: str, num_format: str = "", colour: str = "") -> Format:
        key = (name, num_format, colour)
        found = self._cache.get(key)
        if found is None:
            props = {"font_name": FONT, **_STYLES[name]}
            if num_format:
                props["num_format"] = num_format
            if colour:
                props["bg_color"] = colour
            found = self._workbook.add_format(props)
            self._cache[key] = found
        return found

    def highlight(self) -> Format:
        """A conditional format that makes a hint stand out: bold navy on the input yellow."""
        key = ("dxf", "highlight", "")
        found = self._cache.get(key)
        if found is None:
            found = self._workbook.add_format({"bg_color": INPUT_FILL, "font_color": NAVY, "bold": True})
            self._cache[key] = found
        return found

    def conditional(self, fill: str, font: str) -> Format:
        """A format for conditional formatting (only colours, as Excel's dxf formats allow); no fill with ""."""
        key = ("dxf", fill, font)
        found = self._cache.get(key)
        if found is None:
            found = self._workbook.add_format({"bg_color": fill, "font_color": font} if fill else {"font_color": font})
            self._cache[key] = found
        return found


def category_colour(index: int) -> str:
    return CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]
