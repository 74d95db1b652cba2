"""A tiny, safe arithmetic evaluator for the price calculator's editor-written formulas.

Editors type formulas such as ``price * meters * 1.2 + 5000`` in the admin. ``eval`` would let an
editor run any Python on the server, so the formula is parsed with ``ast`` and only numbers, the
declared variable names, ``+ - * /``, parentheses and ``min``/``max``/``round`` are accepted.
Arithmetic is done in ``Decimal`` so money is not rounded through binary floats.
"""

from __future__ import annotations

import ast
import operator
from decimal import Decimal, DivisionByZero, InvalidOperation

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_FUNCTIONS = {"min": min, "max": max, "round": lambda x, n=0: round(x, int(n))}
MAX_LENGTH = 300


class FormulaError(ValueError):
    """The formula is not valid or cannot be evaluated with the given values."""


def parse(formula: str) -> ast.Expression:
    """The formula's syntax tree, if it only uses what this module allows."""
    if len(formula) > MAX_LENGTH:
        raise FormulaError(f"longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"syntax error at character {error.offset or 0}") from None
    for node in ast.walk(tree):
        allowed = isinstance(node, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Name | ast.Load | ast.Call)
        allowed = allowed or type(node) in _OPERATORS or isinstance(node, ast.UAdd | ast.USub)
        allowed = allowed or (isinstance(node, ast.Constant) and type(node.value) in (int, float))
        if not allowed:
            shown = ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__
            raise FormulaError(f"not allowed: {shown}")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and not node.keywords
        ):
            raise FormulaError(f"unknown function in {ast.unparse(node)}")
    return tree


def names(formula: str) -> set[str]:
    """Variable names the formula uses (function names excluded)."""
    tree = parse(formula)
    functions = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in functions}


def evaluate(formula: str, variables: dict[str, Decimal]) -> Decimal:
    """The formula's value for ``variables``; ``FormulaError`` on unknown names or division by zero."""

    def visit(node):
        if isinstance(node, ast.Expression):
            return visit(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in variables:
                raise FormulaError(f"unknown name {node.id!r}")
            return Decimal(variables[node.id])
        if isinstance(node, ast.UnaryOp):
            value = visit(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            return _OPERATORS[type(node.op)](visit(node.left), visit(node.right))
        if isinstance(node, ast.Call):
            return Decimal(_FUNCTIONS[node.func.id](*(visit(arg) for arg in node.args)))
        raise FormulaError("unsupported expression")  # parse() already refused it

    try:
        return visit(parse(formula))
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        raise FormulaError("division by zero") from None
    except TypeError as error:
        raise FormulaError(str(error)) from None
