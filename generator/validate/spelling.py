"""Formula spellings that mean the same: Excel, LibreOffice and Google Sheets each save a formula a
little differently (quotes around sheet names, '$', case, ``_xlfn.`` prefixes); ``normalise`` gives
them one spelling, and ``unquoted`` gives LibreOffice's for a fast string comparison.
"""

from __future__ import annotations

import re

from generator.engine.kept import Kept

_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")


_TOKENS = re.compile(r"""("(?:[^"]|"")*"?)|'((?:[^']|'')*)'?|([\w.\s$]+)|(.)""", re.DOTALL)
_SKIPPED = re.compile(r"[\s$]")
_QUOTED_NAME = re.compile(r"('(?:[^']|'')*')")


_NORMALISED: Kept[tuple[str, str | None], str] = Kept()


def normalise(formula: str, own_sheet: str | None = None) -> str:
    """One spelling for formulas that mean the same.

    - no leading '=', no whitespace, no '$' (LibreOffice and Excel may keep or drop them);
    - upper case outside string literals (function names and references are case-insensitive);
    - sheet names always quoted once, apostrophes doubled: LibreOffice writes ``Inputs!D7`` where
      the writer wrote ``'Inputs'!D7``, and keeps ``'KPI''lar'!`` quoted;
    - a reference to the formula's own sheet written without its sheet name;
    - no ``_xlfn.`` / ``_xlws.`` prefixes (Excel's marks for newer functions).
    String literals ("" and text) are kept exactly. Whitespace and '$' inside a name or reference
    are dropped without splitting it (one regular-expression pass: this runs for every formula).

    Each spelling is kept per process: a formula found as the writer wrote it is the expected
    text itself, and the expected formulas are the same for every file of a catalogue.
    """
    key = (formula, own_sheet)
    found = _NORMALISED.get(key)
    return found if found is not None else _NORMALISED.keep(key, _normalise(formula, own_sheet), len(formula))


def _normalise(formula: str, own_sheet: str | None) -> str:
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    result = _split(text)
    if "_XL" in result:
        for prefix in _PREFIXES:
            result = result.replace(prefix, "")
    if own_sheet:
        result = result.replace(_quoted(own_sheet.upper()) + "!", "")
    return result


def _split(text: str) -> str:
    """normalise by pieces: the text between double quotes alternates outside and inside string
    literals (a doubled quote leaves an empty outside piece). A quoted sheet name split by a
    double quote shows as an odd count of apostrophes in a piece: then go token by token."""
    pieces = text.split('"')
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if "'" not in piece:
            pieces[i] = _outside(piece)
        elif piece.count("'") % 2:
            return _tokenised(text)
        else:
            parts = _QUOTED_NAME.split(piece)
            for k in range(0, len(parts), 2):
                parts[k] = _outside(parts[k])
            for k in range(1, len(parts), 2):
                parts[k] = _quoted(parts[k][1:-1].replace("''", "'").upper())
            pieces[i] = "".join(parts)
    return '"'.join(pieces)


def _outside(piece: str) -> str:
    """Text outside literals and quoted names: no whitespace or '$', upper case, bare sheet names quoted."""
    found = "".join(piece.split()).replace("$", "").upper()
    return _quote_sheets(found) if "!" in found else found


def _quote_sheets(text: str) -> str:
    """Quote the name before each '!' (the run of word characters and dots it ends)."""
    parts = text.split("!")
    for k in range(len(parts) - 1):
        part = parts[k]
        start = len(part)
        while start and (part[start - 1].isalnum() or part[start - 1] in "_."):
            start -= 1
        if start < len(part):
            parts[k] = f"{part[:start]}'{part[start:]}'"
    return "!".join(parts)


def _tokenised(text: str) -> str:
    """normalise, token by token (a quoted sheet name may hold a double quote)."""
    out: list[str] = []
    word = ""
    for literal, quoted, run, other in _TOKENS.findall(text):
        if run:
            word += run if run.isalnum() else _SKIPPED.sub("", run)
        elif other == "!":
            if word:
                out.append(_quoted(word.upper()))
                word = ""
            out.append("!")
        else:
            if word:
                out.append(word.upper())
                word = ""
            if literal:
                out.append(literal)
            elif other:
                out.append(other.upper())
            else:
                out.append(_quoted(quoted.replace("''", "'").upper()))
    if word:
        out.append(word.upper())
    return "".join(out)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_PLAIN_SHEET = re.compile(r"[^\W\d]\w*")
"""A sheet name LibreOffice writes without quotes (Inputs!D7): letters, digits and underscores."""


def unquoted(formula: str, bare_names: list[tuple[str, str]]) -> str:
    """``formula`` with its plain sheet names unquoted outside string literals, as LibreOffice saves it:
    the same formula to ``normalise``, found by a string comparison instead (``_same``'s fast path).

    Kept per process for the template's formulas: files of one template ask for the same ones.
    """
    key = (formula, *bare_names)
    found = _unquoted.get(key)
    if found is None:
        found = _unquote(formula, bare_names)
        if len(_unquoted) >= _UNQUOTED_MAX:
            _unquoted.clear()
        _unquoted[key] = found
    return found


_UNQUOTED_MAX = 16_384
_unquoted: dict[tuple[object, ...], str] = {}


def _unquote(formula: str, bare_names: list[tuple[str, str]]) -> str:
    if '"' not in formula:
        for quoted, bare in bare_names:
            formula = formula.replace(quoted, bare)
        return formula
    pieces = formula.split('"')
    for i in range(0, len(pieces), 2):
        for quoted, bare in bare_names:
            pieces[i] = pieces[i].replace(quoted, bare)
    return '"'.join(pieces)


def plain_sheets(sheets: list[str]) -> list[tuple[str, str]]:
    """(quoted, bare) prefixes of the sheet names ``unquoted`` drops the quotes of."""
    return [(f"'{sheet}'!", f"{sheet}!") for sheet in sheets if _PLAIN_SHEET.fullmatch(sheet)]


def without_literals(formula: str) -> str:
    """``formula`` with every string literal emptied: what must match where the words may differ."""
    return _LITERAL.sub('""', formula)
