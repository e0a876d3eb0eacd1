"""The formula language: what the parser rejects, the Excel text it compiles to, and properties.

The Excel text is checked with a small recursive-descent parser and interpreter written here
for the subset the compiler may emit (IF, COUNT, MIN, MAX, ABS, references, numbers, "",
+ - * /, unary minus, comparisons), with Excel's rules: an empty cell is not counted by COUNT,
a division by zero is #DIV/0!, a non-finite result is #NUM!.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator.catalog import Catalog, load_catalog
from generator.formula import FormulaError, evaluate, parse, to_excel
from generator.formula.excel import number, render
from generator.formula.expr import Binary, Call, Compare, Expr, Neg, Num, Ref
from generator.formula.parse import LARGEST, MAX_LENGTH
from generator.paths import CATALOG_DIR
from tests.formula.kpi_cases import EXAMPLES, ZERO_DENOMINATOR


@pytest.fixture(scope="module")
def crm() -> Catalog:
    """The formulas of kpi-reference.md are those of crm 1.0.0 (1.1.0's changes: tests/catalog/test_crm_1_1.py)."""
    return load_catalog(CATALOG_DIR / "crm-1.0.0.yaml")


# ---- a checker and interpreter for the Excel subset ---------------------------------------------

_TOKEN = re.compile(
    r"""(?P<number>\d+(?:\.\d+)?(?:E[+-]?\d+)?)
      | (?P<string>"(?:[^"]|"")*")
      | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<op><=|>=|<>|[-+*/=<>(),])""",
    re.VERBOSE,
)
_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_ARITY = {"IF": (3, 3), "COUNT": (1, 255), "MIN": (1, 255), "MAX": (1, 255), "ABS": (1, 1)}


class ExcelSyntaxError(Exception):
    pass


class ExcelError(Exception):
    """An Excel error value such as #DIV/0!."""


@dataclass(frozen=True)
class X:
    """A node of a parsed Excel formula: kind is num, str, ref, neg, bin, cmp or call."""

    kind: str
    value: object = None
    args: tuple[X, ...] = ()


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.start() != at:
            raise ExcelSyntaxError(f"unexpected {text[at:]!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group()))
        at = match.end()
    return tokens


class ExcelParser:
    """formula := '=' compare; compare := sum [cmp sum]; sum := term {(+|-) term};
    term := unary {(*|/) unary}; unary := '-' unary | atom;
    atom := number | "..." | FUNC '(' compare {',' compare} ')' | name | '(' compare ')'."""

    def __init__(self, text: str, names: set[str] | None = None) -> None:
        if not text.startswith("="):
            raise ExcelSyntaxError("a formula starts with =")
        self.tokens = tokenize(text[1:])
        self.at = 0
        self.names = names

    def parse(self) -> X:
        node = self.compare()
        if self.at != len(self.tokens):
            raise ExcelSyntaxError(f"left over: {self.tokens[self.at :]}")
        return node

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise ExcelSyntaxError("formula ends too early")
        token = self.tokens[self.at]
        if expected is not None and token[1] != expected:
            raise ExcelSyntaxError(f"expected {expected!r}, got {token[1]!r}")
        self.at += 1
        return token

    def compare(self) -> X:
        left = self.sum()
        if self.peek() in ("=", "<", ">", "<=", ">=", "<>"):
            op = self.take()[1]
            return X("cmp", op, (left, self.sum()))
        return left

    def sum(self) -> X:
        node = self.term()
        while self.peek() in ("+", "-"):
            node = X("bin", self.take()[1], (node, self.term()))
        return node

    def term(self) -> X:
        node = self.unary()
        while self.peek() in ("*", "/"):
            node = X("bin", self.take()[1], (node, self.unary()))
        return node

    def unary(self) -> X:
        if self.peek() == "-":
            self.take()
            return X("neg", None, (self.unary(),))
        return self.atom()

    def atom(self) -> X:
        kind, text = self.take()
        if kind == "number":
            return X("num", float(text))
        if kind == "string":
            return X("str", text[1:-1].replace('""', '"'))
        if kind == "name" and self.peek() == "(":
            if text not in _ARITY:
                raise ExcelSyntaxError(f"function {text} is not in the subset")
            self.take("(")
            args = [self.compare()]
            while self.peek() == ",":
                self.take()
                args.append(self.compare())
            self.take(")")
            low, high = _ARITY[text]
            if not low <= len(args) <= high:
                raise ExcelSyntaxError(f"{text} takes {low}..{high} arguments, got {len(args)}")
            return X("call", text, tuple(args))
        if kind == "name":
            if text.upper() in _ARITY or text.upper() in ("TRUE", "FALSE"):
                raise ExcelSyntaxError(f"{text} is not a reference")
            if self.names is not None and text not in self.names:
                raise ExcelSyntaxError(f"{text} is not one of the references {sorted(self.names)}")
            return X("ref", text)
        if text == "(":
            node = self.compare()
            self.take(")")
            return node
        raise ExcelSyntaxError(f"unexpected {text!r}")


def excel_parse(text: str, names: set[str] | None = None) -> X:
    """The parsed formula; with ``names``, references must be among them (so INF or NAN is no number)."""
    return ExcelParser(text, names).parse()


def excel_eval(text: str, cells: Mapping[str, float | None]) -> float | str:
    """The value Excel shows for ``text``; empty cells are None, errors raise ExcelError."""

    def number_of(value: float | str | bool) -> float:
        if isinstance(value, str):
            raise ExcelError("#VALUE!")
        return float(value)

    def counted(node: X) -> bool:
        return node.kind == "num" or (node.kind == "ref" and cells[str(node.value)] is not None)

    def run(node: X) -> float | str | bool:
        match node.kind:
            case "num" | "str":
                return node.value  # type: ignore[return-value]
            case "ref":
                value = cells[str(node.value)]
                return 0.0 if value is None else value  # an empty cell reads as 0 in arithmetic
            case "neg":
                return -number_of(run(node.args[0]))
            case "bin":
                a, b = (number_of(run(x)) for x in node.args)
                if node.value == "/" and b == 0:
                    raise ExcelError("#DIV/0!")
                result = _ARITHMETIC[str(node.value)](a, b)
                if not math.isfinite(result):
                    raise ExcelError("#NUM!")
                return result
            case "cmp":
                a, b = (number_of(run(x)) for x in node.args)
                compare = {"=": a == b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b, "<>": a != b}
                return compare[str(node.value)]
            case "call":
                name, args = node.value, node.args
                if name == "IF":
                    return run(args[1]) if run(args[0]) else run(args[2])
                if name == "COUNT":
                    return float(sum(1 for a in args if counted(a)))
                values = [number_of(run(a)) for a in args]
                return abs(values[0]) if name == "ABS" else (min(values) if name == "MIN" else max(values))
        raise AssertionError(node)

    result = run(excel_parse(text, set(cells)))
    assert not isinstance(result, bool)
    return result


def test_the_checker_itself() -> None:
    """The checker must reject what Excel rejects, or the properties below prove nothing."""
    bad = ["A1+", "=A1+", "=(A1", "=A1)", "=SUM(A1)", "=IF(A1,1)", "=1e5", "=INF", "=A1 B1", "=**A1", "=ABS(1,2)", "="]
    for text in bad:
        with pytest.raises(ExcelSyntaxError):
            excel_parse(text, {"A1", "B1"})
    assert excel_eval('=IF(COUNT(A,B)<2,"",IF(B=0,"",A/B))', {"A": 1.0, "B": None}) == ""
    assert excel_eval('=IF(COUNT(A,B)<2,"",IF(B=0,"",A/B))', {"A": 1.0, "B": 0.0}) == ""
    assert excel_eval('=IF(COUNT(A,B)<2,"",IF(B=0,"",A/B))', {"A": 1.0, "B": 4.0}) == 0.25
    assert excel_eval("=-A--B*2", {"A": 1.0, "B": 3.0}) == 5.0
    assert excel_eval("=1E-07*(-2)", {}) == pytest.approx(-2e-7)
    with pytest.raises(ExcelError, match="DIV"):
        excel_eval("=A/B", {"A": 1.0, "B": None})


# ---- the parser's whitelist -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparison", "phrase", "column"),
    [
        ("a ** 2", False, "operator **", 1),
        ("a + b % c", False, "operator %", 5),  # the column of the offending sub-expression b % c
        ("a // b", False, "operator //", 1),
        ("a ^ b", False, "not allowed", 1),
        ("sqrt(a)", False, "unknown function 'sqrt'; allowed: min, max, abs", 1),
        ("a + math.sqrt(b)", False, "not allowed", 5),
        ("a + b.real", False, "'b.real' is not allowed", 5),
        ("a[0] / b", False, "'a[0]' is not allowed", 1),
        ("a + 'x'", False, "only numbers", 5),
        ('a * "2"', False, "only numbers", 5),
        ("True + a", False, "True/False", 1),
        ("a - False", False, "True/False", 5),
        ("None", False, "only numbers", 1),
        ("lambda: a", False, "not allowed", 1),
        ("a if b else c", False, "not allowed", 1),
        ("not a", False, "not allowed", 1),
        ("a and b", False, "not allowed", 1),
        ("(a := 1)", False, "not allowed", 2),
        ("a, b", False, "not allowed", 1),
        ("[a]", False, "not allowed", 1),
        ("1j * a", False, "only numbers", 1),
        ("a < b", False, "only allowed in a rule", 1),
        ("a == b", False, "only allowed in a rule", 1),
        ("a <= b <= c", True, "not a chain", 1),
        ("a != b", True, "comparison must be one of", 1),
        ("a - b", True, "must compare two values", 1),
        ("a <= b ** 2", True, "operator **", 6),
        ("", False, "empty", 1),
        ("   ", False, "empty", 1),
        ("a\n+ b", False, "one line", 1),
        ("a\r+ b", False, "one line", 1),
        ("min", False, "'min' is a function", 1),
        ("a + max", False, "'max' is a function", 5),
        ("abs(a, b)", False, "abs() takes one argument", 1),
        ("min()", False, "min() takes arguments", 1),
        ("max(*a)", False, "* arguments", 1),
        ("min(a, key=b)", False, "no named arguments", 1),
        ("1e400 * a", False, "too large", 1),
        ("a +", False, "syntax error", 4),  # the text ends where an operand should be
        ("a + / b", False, "syntax error", 5),  # the second operator
        ("a b", False, "syntax error", 3),
        ("(a + b", False, "was never closed", 1),
        ("a ÷ b", False, "invalid character '÷'", 3),
        ("  a ** 2", False, "operator **", 3),  # leading spaces count, as in a quoted YAML value
        ("  a + / b", False, "syntax error", 7),
        ("müşteri + a ** 2", False, "operator **", 11),  # characters, not UTF-8 bytes
        ("ö + a.b", False, "'a.b' is not allowed", 5),
        ("-" * 150 + "a", False, "nested more than", None),
        ("a+" * 999 + "a", False, "nested more than", None),
        ("a" * (MAX_LENGTH + 1), False, "longer than", 1),
    ],
    ids=lambda v: repr(v)[:24] if isinstance(v, str) else None,
)
def test_rejected(text: str, comparison: bool, phrase: str, column: int | None) -> None:
    with pytest.raises(FormulaError) as caught:
        parse(text, comparison=comparison)
    error = caught.value
    assert phrase in error.message
    assert 1 <= error.column <= len(text) + 1
    if column is not None:
        assert error.column == column


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a - (b - c)", Binary("-", Ref("a"), Binary("-", Ref("b"), Ref("c")))),
        ("a - b - c", Binary("-", Binary("-", Ref("a"), Ref("b")), Ref("c"))),
        ("a / b * 100", Binary("*", Binary("/", Ref("a"), Ref("b")), Num(100.0))),
        ("-5", Num(-5.0)),
        ("-(a + b)", Neg(Binary("+", Ref("a"), Ref("b")))),
        ("+a", Ref("a")),
        ("-a * b", Binary("*", Neg(Ref("a")), Ref("b"))),
        ("max(a, 0) + abs(b)", Binary("+", Call("max", (Ref("a"), Num(0.0))), Call("abs", (Ref("b"),)))),
        ("  a  ", Ref("a")),
        ("1e-07", Num(1e-07)),
    ],
)
def test_accepted(text: str, tree: Expr) -> None:
    assert parse(text) == tree


def test_rule_check_parses_to_a_comparison() -> None:
    assert parse("a <= b", comparison=True) == Compare("<=", Ref("a"), Ref("b"))
    assert parse("e == s + n - l", comparison=True) == Compare(
        "==", Ref("e"), Binary("-", Binary("+", Ref("s"), Ref("n")), Ref("l"))
    )


# ---- Excel text ---------------------------------------------------------------------------------


def upper(name: str) -> str:
    return name.upper()


def test_excel_email_ctr(crm: Catalog) -> None:
    cells = {"email_clicks": "C5", "emails_sent": "C4"}
    assert to_excel(crm.formulas["email_ctr"], cells.__getitem__) == '=IF(COUNT(C5,C4)<2,"",IF(C4=0,"",C5/C4))'


def test_excel_nps(crm: Catalog) -> None:
    cells = {"nps_promoters": "P1", "nps_passives": "Q1", "nps_detractors": "R1"}
    assert (
        to_excel(crm.formulas["nps"], cells.__getitem__)
        == '=IF(COUNT(P1,R1,Q1)<3,"",IF(P1+Q1+R1=0,"",(P1-R1)/(P1+Q1+R1)*100))'
    )


def test_excel_cac_ltv_and_count(crm: Catalog) -> None:
    cells = {
        "marketing_cost": "M",
        "sales_cost": "S",
        "new_customers": "N",
        "email_campaigns": "E",
        "avg_sale_value": "V",
        "purchase_frequency": "F",
        "customer_lifespan_years": "Y",
        "profit_margin": "P",
    }
    ref = cells.__getitem__
    assert to_excel(crm.formulas["customer_acquisition_cost"], ref) == '=IF(COUNT(M,S,N)<3,"",IF(N=0,"",(M+S)/N))'
    assert to_excel(crm.formulas["customer_lifetime_value"], ref) == '=IF(COUNT(V,F,Y,P)<4,"",V*F*Y*P)'
    assert to_excel(crm.formulas["email_campaigns"], ref) == '=IF(COUNT(E)<1,"",E)'


def _cell(name: str) -> str:
    return f"in_{name}"


@pytest.mark.parametrize("kpi_id", sorted(EXAMPLES))
def test_excel_text_of_every_kpi(crm: Catalog, kpi_id: str) -> None:
    """Each KPI's Excel formula parses and shows the hand-worked value, "" for blanks and zero denominators."""
    text = to_excel(crm.formulas[kpi_id], _cell)
    values, expected = EXAMPLES[kpi_id]
    cells = {_cell(name): value for name, value in values.items()}
    guard = re.match(r'=IF\(COUNT\(([^)]*)\)<(\d+),"",', text)
    assert guard is not None
    assert sorted(guard.group(1).split(",")) == sorted(cells)
    assert int(guard.group(2)) == len(cells)
    assert excel_eval(text, cells) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    for name in cells:
        assert excel_eval(text, {**cells, name: None}) == ""
    if kpi_id in ZERO_DENOMINATOR:
        assert excel_eval(text, {_cell(n): v for n, v in ZERO_DENOMINATOR[kpi_id].items()}) == ""


@pytest.mark.parametrize(
    ("text", "excel"),
    [
        ("a - (b - c)", "A-(B-C)"),
        ("(a - b) - c", "A-B-C"),
        ("a / (b * c)", "A/(B*C)"),
        ("a / b * c", "A/B*C"),
        ("a * (b / c)", "A*(B/C)"),  # kept: Excel must compute in the same order as Python
        ("a + (b + c)", "A+(B+C)"),
        ("(a + b) * c", "(A+B)*C"),
        ("a * b + c", "A*B+C"),
        ("-(a + b)", "-(A+B)"),
        ("-(a * b)", "-(A*B)"),
        ("-a * b", "-A*B"),
        ("a - -b", "A--B"),
        ("a - -5", "A-(-5)"),
        ("-5 * a", "(-5)*A"),
        ("a / (b / c)", "A/(B/C)"),
        ("min(a, b + c) / abs(a - b)", "MIN(A,B+C)/ABS(A-B)"),
        ("a * 0.0000001", "A*1E-07"),
        ("a * 100.0", "A*100"),
    ],
)
def test_precedence(text: str, excel: str) -> None:
    assert render(parse(text), upper) == excel


def test_guard_order_for_nested_division() -> None:
    """The inner denominator is checked before the outer one is computed."""
    assert to_excel(parse("a / (b / c)"), upper) == '=IF(COUNT(A,B,C)<3,"",IF(C=0,"",IF(B/C=0,"",A/(B/C))))'
    cells = {"A": 1.0, "B": 0.0, "C": 2.0}
    assert excel_eval(to_excel(parse("a / (b / c)"), upper), cells) == ""
    assert excel_eval(to_excel(parse("a / (b / c)"), upper), {**cells, "C": 0.0}) == ""


def test_guards_for_constants_and_repeated_denominators() -> None:
    assert to_excel(parse("a / b + c / b"), upper) == '=IF(COUNT(A,B,C)<3,"",IF(B=0,"",A/B+C/B))'
    assert to_excel(parse("a / 100"), upper) == '=IF(COUNT(A)<1,"",A/100)'  # a constant divisor needs no guard
    assert to_excel(parse("a / 0"), upper) == '=IF(COUNT(A)<1,"",IF(0=0,"",A/0))'
    assert to_excel(parse("1 / 4"), upper) == "=1/4"
    assert to_excel(parse("-3"), upper) == "=(-3)"


def test_rule_render() -> None:
    rule = parse("customers_end == customers_start + new_customers - customers_lost", comparison=True)
    assert render(rule, upper) == "CUSTOMERS_END=CUSTOMERS_START+NEW_CUSTOMERS-CUSTOMERS_LOST"
    assert render(parse("a <= b", comparison=True), upper) == "A<=B"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e-07, "1E-07"),
        (100.0, "100"),
        (-2.0, "-2"),
        (0.0, "0"),
        (0.1, "0.1"),
        (2.5e-10, "2.5E-10"),
        (123456789012345.0, "123456789012345"),
        (1e15, "1000000000000000.0"),
        (1e16, "1E+16"),
        (1.5e300, "1.5E+300"),
    ],
)
def test_number(value: float, text: str) -> None:
    assert number(value) == text
    assert float(text) == value  # Excel reads back the same double


# ---- properties ---------------------------------------------------------------------------------

NAMES = ("a", "b", "c", "d")
_nums = st.floats(min_value=-LARGEST, max_value=LARGEST) | st.sampled_from(  # the language's range: Excel's
    [0.0, 1.0, -1.0, 2.5, 100.0, 1e-07, 1e15, 1e16, 0.1]
)
_leaves = st.builds(Num, _nums) | st.builds(Ref, st.sampled_from(NAMES))


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return (
        st.builds(Neg, children)
        | st.builds(Binary, st.sampled_from(["+", "-", "*", "/"]), children, children)
        | st.builds(
            lambda f, args: Call(f, tuple(args)),
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=1, max_size=3),
        )
        | st.builds(lambda arg: Call("abs", (arg,)), children)
    )


trees = st.recursive(_leaves, _extend, max_leaves=12)
_value = (
    st.none()
    | st.sampled_from([0.0, -0.0, 1e300, -1e300, 1e-300, -1e-300, 5e-324, -7.5, 3.0])
    | st.floats(allow_nan=False, allow_infinity=False)
)
any_values = st.fixed_dictionaries({name: _value for name in NAMES})
present_values = st.fixed_dictionaries({name: st.floats(allow_nan=False, allow_infinity=False) for name in NAMES})
_moderate = st.integers(-1000, 1000).map(float) | st.sampled_from([0.5, -0.25, 2.5, 0.0])
moderate_trees = st.recursive(
    st.builds(Num, _moderate) | st.builds(Ref, st.sampled_from(NAMES)), _extend, max_leaves=10
)
moderate_values = st.fixed_dictionaries({name: st.none() | _moderate for name in NAMES})

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Right-nested operations of one precedence, where the order of computing changes the last bits:
# 29 * (29 / 28) != 29 * 29 / 28 and 0.1 + (0.2 + 0.3) != 0.1 + 0.2 + 0.3 in floating point.
_RIGHT_NESTED = [
    (Binary("*", Ref("a"), Binary("/", Ref("b"), Ref("c"))), {"a": 29.0, "b": 29.0, "c": 28.0, "d": None}),
    (Binary("+", Ref("a"), Binary("+", Ref("b"), Ref("c"))), {"a": 0.1, "b": 0.2, "c": 0.3, "d": None}),
    (Binary("-", Ref("a"), Binary("+", Ref("b"), Ref("c"))), {"a": 0.1, "b": -0.2, "c": -0.3, "d": 1.0}),
]


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a == b)


@_settings
@given(trees, any_values)
@example(*_RIGHT_NESTED[0])
@example(*_RIGHT_NESTED[1])
@example(*_RIGHT_NESTED[2])
def test_render_is_excel_and_round_trips(tree: Expr, values: dict[str, float | None]) -> None:
    text = render(tree, upper)
    assert text.count("(") == text.count(")")
    cells = {name.upper() for name in NAMES}
    excel_parse("=" + text, cells)
    excel_parse(to_excel(tree, upper), cells)
    again = parse(text.lower())
    assert _same(evaluate(again, values), evaluate(tree, values))


@_settings
@given(trees, any_values)
def test_evaluate_never_raises(tree: Expr, values: dict[str, float | None]) -> None:
    result = evaluate(tree, values)
    assert result is None or (isinstance(result, float) and math.isfinite(result))


def _naive(node: Expr, values: Mapping[str, float]) -> float:
    match node:
        case Num(value):
            return value
        case Ref(name):
            return values[name]
        case Neg(operand):
            return -_naive(operand, values)
        case Binary(op, left, right):
            a, b = _naive(left, values), _naive(right, values)
            return _ARITHMETIC[op](a, b)  # Python raises ZeroDivisionError
        case Call("abs", (arg,)):
            return abs(_naive(arg, values))
        case Call(func, args):
            return (min if func == "min" else max)(_naive(a, values) for a in args)
    raise AssertionError(node)


@_settings
@given(trees, present_values)
def test_evaluate_agrees_with_plain_arithmetic(tree: Expr, values: dict[str, float]) -> None:
    try:
        expected = _naive(tree, values)
    except ZeroDivisionError:
        assert evaluate(tree, values) is None
        return
    result = evaluate(tree, values)
    if math.isfinite(expected):
        assert result == expected
    else:
        assert result is None


@_settings
@given(moderate_trees, moderate_values)
@example(*_RIGHT_NESTED[0])
def test_excel_shows_what_python_computes(tree: Expr, values: dict[str, float | None]) -> None:
    """The guarded Excel formula never shows #DIV/0!, and shows "" exactly when evaluate gives None."""
    cells = {name.upper(): value for name, value in values.items()}
    try:
        shown = excel_eval(to_excel(tree, upper), cells)
    except ExcelError as error:
        assert str(error) == "#NUM!", f"Excel would show {error}"
        assume(False)
        return
    expected = evaluate(tree, values)
    if expected is None:
        assert shown == ""
    else:
        assert shown == expected
