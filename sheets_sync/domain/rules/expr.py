"""A small, safe expression language for cross-field rules, e.g. `realisasi_anggaran <= pagu`.

Office staff write these in the config, so the text is parsed by a tokenizer and a
recursive-descent parser of our own and evaluated over a tiny AST. Nothing is ever handed to
Python's `eval`: there are no attributes, calls, subscripts or strings, only

    expr    := or
    or      := and (("or" | "atau") and)*
    and     := not (("and" | "dan") not)*
    not     := ("not" | "tidak") not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "=" | "!=" | "<>") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | NAME | "(" expr ")"

Names are the row's numbers (see `VARIABLES`). Types are checked when the rule is loaded:
arithmetic and comparisons take numbers, and/or/not take truth values, and a rule's whole
expression must be a truth value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

# name -> what it means (shown in error messages, Indonesian)
VARIABLES: dict[str, str] = {
    "realisasi": "Realisasi",
    "target": "Target",
    "target_min": "batas bawah target rentang",
    "target_max": "batas atas target rentang",
    "capaian": "Capaian (%) dihitung layanan",
    "pagu": "Pagu (Rp)",
    "realisasi_anggaran": "Realisasi Anggaran (Rp)",
    "capaian_anggaran": "Capaian Anggaran (%) dihitung layanan",
    "realisasi_lalu": "Realisasi periode sebelumnya (dari riwayat)",
}
MAX_LENGTH = 500
MAX_DEPTH = 40

_KEYWORDS = {"and": "and", "dan": "and", "or": "or", "atau": "or", "not": "not",
             "tidak": "not"}
_CMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "=": "==", "!=": "!=",
        "<>": "!="}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|<>|[-+*/()<>=]))"
)


class ExpressionError(ValueError):
    """The expression text is not in the grammar; `str()` says where and what to write."""


class NotComputable(Exception):
    """A value needed is missing (`missing=True`) or the arithmetic is undefined (x / 0)."""

    def __init__(self, reason: str, *, missing: bool = False, name: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing
        self.name = name


@dataclass(frozen=True)
class Token:
    kind: Literal["num", "name", "op", "end"]
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"ekspresi terlalu panjang (lebih dari {MAX_LENGTH} karakter)")
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            bad = text[pos:].lstrip()[:1]
            at = len(text) - len(text[pos:].lstrip()) + 1
            raise ExpressionError(
                f"karakter '{bad}' pada posisi {at} tidak dikenal; yang boleh: angka (titik "
                "untuk desimal, mis. 1.5), nama kolom, + - * / ( ), < <= > >= == !=, and/or/not"
            )
        kind = m.lastgroup
        assert kind in ("num", "name", "op")
        tokens.append(Token(kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Unary:
    op: Literal["-", "not"]
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / < <= > >= == != and or
    left: Node
    right: Node


Node = Num | Var | Unary | Binary
_ARITH = {"+", "-", "*", "/"}
_LOGIC = {"and", "or"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _word(self, tok: Token) -> str | None:
        return _KEYWORDS.get(tok.text.lower()) if tok.kind == "name" else None

    def fail(self, what: str, tok: Token | None = None) -> ExpressionError:
        tok = tok or self.tok
        found = "akhir ekspresi" if tok.kind == "end" else f"'{tok.text}'"
        return ExpressionError(f"{what} pada posisi {tok.pos} (ditemukan {found})")

    def parse(self) -> Node:
        node = self.or_()
        if self.tok.kind != "end":
            if self.tok.text == "(":
                raise self.fail("pemanggilan fungsi tidak diizinkan")
            raise self.fail("operator atau akhir ekspresi diharapkan")
        return node

    def _nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"ekspresi terlalu bertingkat (lebih dari {MAX_DEPTH})")

    def or_(self) -> Node:
        node = self.and_()
        while self._word(self.tok) == "or":
            self.i += 1
            node = Binary("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self._word(self.tok) == "and":
            self.i += 1
            node = Binary("and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self._word(self.tok) == "not":
            self.i += 1
            self._nest()
            node = Unary("not", self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        node = self.sum_()
        if self.tok.kind == "op" and self.tok.text in _CMP:
            op = _CMP[self.tok.text]
            self.i += 1
            node = Binary(op, node, self.sum_())
            if self.tok.kind == "op" and self.tok.text in _CMP:
                raise self.fail("perbandingan berantai tidak diizinkan; pakai 'and'")
        return node

    def sum_(self) -> Node:
        node = self.product()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            op = self.tok.text
            self.i += 1
            node = Binary(op, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            op = self.tok.text
            self.i += 1
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.tok.kind == "op" and self.tok.text == "-":
            self.i += 1
            self._nest()
            node = Unary("-", self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.i += 1
            return Num(float(tok.text))
        if tok.kind == "name":
            if self._word(tok):
                raise self.fail("nilai diharapkan")
            name = tok.text.lower()
            nxt = self.tokens[self.i + 1]
            if nxt.kind == "op" and nxt.text == "(":
                raise self.fail("pemanggilan fungsi tidak diizinkan", tok)
            if name not in VARIABLES:
                raise ExpressionError(
                    f"nama '{tok.text}' pada posisi {tok.pos} tidak dikenal; yang boleh: "
                    f"{', '.join(VARIABLES)}"
                )
            self.i += 1
            return Var(name)
        if tok.kind == "op" and tok.text == "(":
            self.i += 1
            self._nest()
            node = self.or_()
            self.depth -= 1
            if not (self.tok.kind == "op" and self.tok.text == ")"):
                raise self.fail("kurung tutup ')' diharapkan")
            self.i += 1
            return node
        raise self.fail("nilai diharapkan")


def _type(node: Node) -> Literal["num", "bool"]:
    """Static type check, so a wrong rule fails when the config loads, not mid-validation."""
    if isinstance(node, (Num, Var)):
        return "num"
    if isinstance(node, Unary):
        inner = _type(node.operand)
        want: Literal["num", "bool"] = "num" if node.op == "-" else "bool"
        if inner != want:
            raise ExpressionError(
                "'-' hanya untuk angka" if node.op == "-" else
                "'not' hanya untuk hasil perbandingan (benar/salah)"
            )
        return want
    left, right = _type(node.left), _type(node.right)
    if node.op in _LOGIC:
        if left != "bool" or right != "bool":
            raise ExpressionError(f"'{node.op}' menghubungkan dua perbandingan, "
                                  "mis. realisasi >= 0 and realisasi <= target")
        return "bool"
    if left != "num" or right != "num":
        raise ExpressionError(f"'{node.op}' hanya untuk angka, bukan hasil perbandingan")
    return "num" if node.op in _ARITH else "bool"


@dataclass(frozen=True)
class Expression:
    """A parsed, type-checked expression."""

    text: str
    root: Node

    @property
    def names(self) -> list[str]:
        """Variables used, in order of first appearance."""
        seen: list[str] = []

        def walk(n: Node) -> None:
            if isinstance(n, Var):
                if n.name not in seen:
                    seen.append(n.name)
            elif isinstance(n, Unary):
                walk(n.operand)
            elif isinstance(n, Binary):
                walk(n.left)
                walk(n.right)

        walk(self.root)
        return seen

    def evaluate(self, env: Mapping[str, float | None]) -> bool | float:
        """Evaluate over the row's numbers. Raises `NotComputable` for a missing value or an
        undefined result (x / 0, overflow); never anything else."""
        return _eval(self.root, env)


def parse(text: str, *, boolean: bool = True) -> Expression:
    """Parse and type-check. `boolean` requires a truth value (a rule's condition)."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("ekspresi kosong; contoh: realisasi_anggaran <= pagu")
    root = _Parser(text).parse()
    kind = _type(root)
    if boolean and kind != "bool":
        raise ExpressionError(
            "ekspresi harus berupa perbandingan (benar/salah), mis. realisasi_anggaran <= pagu"
        )
    return Expression(text.strip(), root)


def _eval(node: Node, env: Mapping[str, float | None]) -> bool | float:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Var):
        value = env.get(node.name)
        if value is None:
            raise NotComputable(f"{VARIABLES[node.name]} kosong", missing=True, name=node.name)
        return value
    if isinstance(node, Unary):
        inner = _eval(node.operand, env)
        return -inner if node.op == "-" else not inner
    if node.op == "and":  # short-circuit, so `pagu > 0 and ...` guards the rest
        return bool(_eval(node.left, env)) and bool(_eval(node.right, env))
    if node.op == "or":
        return bool(_eval(node.left, env)) or bool(_eval(node.right, env))
    a, b = float(_eval(node.left, env)), float(_eval(node.right, env))
    if node.op in _ARITH:
        if node.op == "/" and b == 0:
            raise NotComputable("pembagian dengan nol")
        if node.op == "+":
            result = a + b
        elif node.op == "-":
            result = a - b
        elif node.op == "*":
            result = a * b
        else:
            result = a / b
        if not math.isfinite(result):
            raise NotComputable("hasil hitungan terlalu besar")
        return result
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
            "==": math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9),
            "!=": not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)}[node.op]
