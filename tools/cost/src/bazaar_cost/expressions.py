"""The few Terraform expressions that decide how many of a resource exist.

``count`` and ``for_each`` in this repository are switches and the catalog's
collections: ``var.enable_waf ? 1 : 0``, ``local.create_kms_key ? 1 : 0``
with ``create_kms_key = var.kms_key_arn == null``, ``var.instance_count``,
``var.enable_alarms ? var.queues : {}``, ``{ for key, service in
var.services : key => service if length(service.consumes) > 0 }``, and the
values they read: object literals merged (the audit module's Config rules),
``try(coalesce(var.x), null)`` (a GitHub variable left empty is null),
``"${sub.protocol}:${sub.endpoint}"`` keys. This evaluates exactly that
language (literals, lists, objects, strings with ``${}`` interpolations,
references with attributes, ``! && || == != < <= > >= ? :``, parentheses,
``for`` expressions with ``if``, and ``toset tolist length keys values
merge coalesce try``) and nothing more: anything else is an
``UnsupportedExpression`` naming the expression, so a Terraform change the
estimate cannot follow stops it with a message instead of a wrong number.
A value that is a template as a whole (``"prefix-${var.x}"``) is refused
too: no count or switch is one.

An expression is parsed into a tree of closures, then evaluated: a ``for``
evaluates its body once per element, and ``? :`` only the branch it takes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Resolver = Callable[[str], Any]
# An expression, given the values of the for-expression variables in scope.
_Node = Callable[[Mapping[str, Any]], Any]


class UnsupportedExpression(Exception):
    """An expression (or a reference in it) this evaluator does not compute."""


class EvaluationError(UnsupportedExpression):
    """An expression Terraform itself would fail on (``coalesce`` of nothing), which
    ``try`` answers with its next argument; anything else still stops the estimate."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>"(?:[^"\\$]|\$\{[^{}"]*(?:"[^"\\$]*"[^{}"]*)*\})*")
    | (?P<operator>=>|==|!=|<=|>=|&&|\|\||[?:!(),<>\[\]{}=])
    | (?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[[\w."-]*\])*)
    )""",
    re.VERBOSE,
)
_KEYWORDS: dict[str, Any] = {"true": True, "false": False, "null": None}
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda left, right: bool(left == right),
    "!=": lambda left, right: bool(left != right),
    "<": lambda left, right: bool(left < right),
    "<=": lambda left, right: bool(left <= right),
    ">": lambda left, right: bool(left > right),
    ">=": lambda left, right: bool(left >= right),
}


# A function, given its arguments' values.
Function = Callable[..., Any]


def evaluate(value: Any, resolve: Resolver, functions: Mapping[str, Function] | None = None) -> Any:
    """A value as python-hcl2 gives it: literals stay, ``${...}`` is computed.

    ``functions`` replaces the functions known (a variable's type is an
    expression of its own: ``object({...})``, ``optional(bool, false)``).
    """
    if isinstance(value, list):
        return [evaluate(item, resolve, functions) for item in value]
    if isinstance(value, dict):
        return {key: evaluate(item, resolve, functions) for key, item in value.items()}
    if not isinstance(value, str):
        return value
    if value.startswith("${") and value.endswith("}"):
        return _Parser(value[2:-1], resolve, functions).parse()({})
    if "${" in value:
        raise UnsupportedExpression(f"the template {value!r}")
    return value


def _functions(text: str) -> dict[str, Function]:
    def toset(value: Any) -> Any:
        if isinstance(value, dict):
            raise UnsupportedExpression(f"`{text}` (toset of a map)")
        return list(dict.fromkeys(value)) if isinstance(value, list) else value

    def collection(function: str, value: Any) -> Any:
        if not isinstance(value, list | dict):
            raise UnsupportedExpression(f"`{text}` ({function} of {value!r})")
        return value

    def merge(*maps: Any) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        for found in maps:
            if found is not None:  # Terraform's merge skips nulls
                merged.update(_mapping(found, text))
        return merged

    def coalesce(*values: Any) -> Any:
        for found in values:
            if found is not None and found != "":
                return found
        raise EvaluationError(f"`{text}` (coalesce found no non-null, non-empty argument)")

    return {
        "toset": toset,
        "tolist": lambda value: list(collection("tolist", value)),
        "length": lambda value: len(collection("length", value)),
        "keys": lambda value: sorted(_mapping(value, text)),
        "values": lambda value: [item for _, item in sorted(_mapping(value, text).items())],
        "merge": merge,
        "coalesce": coalesce,
    }


class _Parser:
    """Recursive descent, loosest first: ternary, ||, &&, comparisons, !, primary."""

    def __init__(
        self, text: str, resolve: Resolver, functions: Mapping[str, Function] | None = None
    ) -> None:
        self.text = text
        self.resolve = resolve
        self.tokens = self._tokens(text)
        self.position = 0
        self.given_functions = functions
        self.functions = _functions(text) if functions is None else functions

    def _tokens(self, text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        position = 0
        while text[position:].strip():
            match = _TOKEN.match(text, position)
            if match is None or match.lastgroup is None:
                raise UnsupportedExpression(f"`{text}` (at {text[position:].strip()[:20]!r})")
            tokens.append((match.lastgroup, match.group(match.lastgroup)))
            position = match.end()
        return tokens

    def parse(self) -> _Node:
        node = self._ternary()
        if self.position != len(self.tokens):
            raise UnsupportedExpression(f"`{self.text}`")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            raise UnsupportedExpression(f"`{self.text}` (ends early)")
        token = self.tokens[self.position]
        if expected is not None and token[1] != expected:
            raise UnsupportedExpression(f"`{self.text}` (expected {expected!r})")
        self.position += 1
        return token

    def _truth(self, node: _Node, names: Mapping[str, Any]) -> bool:
        """Terraform's conditions are booleans: anything else is not guessed at."""
        value = node(names)
        if not isinstance(value, bool):
            raise UnsupportedExpression(f"`{self.text}` (a condition that is {value!r})")
        return value

    def _ternary(self) -> _Node:
        condition = self._or()
        if self._peek() != "?":
            return condition
        self._take("?")
        when_true = self._ternary()
        self._take(":")
        when_false = self._ternary()
        return lambda names: (
            when_true(names) if self._truth(condition, names) else when_false(names)
        )

    def _or(self) -> _Node:
        node = self._and()
        while self._peek() == "||":
            self._take()
            left, right = node, self._and()
            node = self._either(left, right)
        return node

    def _either(self, left: _Node, right: _Node) -> _Node:
        return lambda names: self._truth(left, names) or self._truth(right, names)

    def _and(self) -> _Node:
        node = self._comparison()
        while self._peek() == "&&":
            self._take()
            left, right = node, self._comparison()
            node = self._both(left, right)
        return node

    def _both(self, left: _Node, right: _Node) -> _Node:
        return lambda names: self._truth(left, names) and self._truth(right, names)

    def _comparison(self) -> _Node:
        left = self._unary()
        operator = self._peek()
        if operator not in _COMPARISONS:
            return left
        self._take()
        right = self._unary()
        compare = _COMPARISONS[operator]
        return lambda names: compare(left(names), right(names))

    def _unary(self) -> _Node:
        if self._peek() == "!":
            self._take()
            operand = self._unary()
            return lambda names: not self._truth(operand, names)
        return self._primary()

    def _primary(self) -> _Node:
        kind, text = self._take()
        if kind == "number":
            number = float(text) if "." in text else int(text)
            return lambda _: number
        if kind == "string":
            return self._string(text[1:-1])
        if text == "(":
            inner = self._ternary()
            self._take(")")
            return inner
        if text == "[":
            return self._for("]") if self._peek() == "for" else self._list()
        if text == "{":
            return self._for("}") if self._peek() == "for" else self._object()
        if kind != "name":
            raise UnsupportedExpression(f"`{self.text}` (unexpected {text!r})")
        if text in _KEYWORDS:
            value = _KEYWORDS[text]
            return lambda _: value
        if self._peek() == "(":
            return self._call(text)
        return self._reference(text)

    def _reference(self, reference: str) -> _Node:
        head, *attributes = reference.split(".")

        def value(names: Mapping[str, Any]) -> Any:
            if head not in names:
                return self.resolve(reference)
            found = names[head]
            for attribute in attributes:
                if not isinstance(found, dict) or attribute not in found:
                    raise UnsupportedExpression(f"`{reference}` (no {attribute!r} there)")
                found = found[attribute]
            return found

        return value

    def _string(self, text: str) -> _Node:
        """A string literal; each ``${...}`` in it is an expression of its own."""
        # Literal text and interpolations, alternating: [text, inner, text, ...].
        pieces = _INTERPOLATION.split(text)
        if len(pieces) == 1:
            return _constant(text)
        parts = [
            _Parser(piece, self.resolve, self.given_functions).parse()
            if index % 2
            else _constant(piece)
            for index, piece in enumerate(pieces)
        ]
        if pieces[0] == pieces[-1] == "" and len(pieces) == 3:
            return parts[1]  # "${x}" alone is x itself, not its text, as in Terraform
        return lambda names: "".join(_text(part(names), self.text) for part in parts)

    def _object(self) -> _Node:
        """``{ key = value, "key" = value }``: a bare name as a key is its own text."""
        pairs: list[tuple[_Node, _Node]] = []
        while self._peek() != "}":
            kind, text = self._take()
            if kind == "name" and text.isidentifier():
                key = _constant(text)
            elif kind == "string":
                key = self._string(text[1:-1])
            elif text == "(":
                key = self._ternary()
                self._take(")")
            else:
                raise UnsupportedExpression(f"`{self.text}` (an object key {text!r})")
            if self._peek() not in ("=", ":"):
                raise UnsupportedExpression(f"`{self.text}` (expected = after a key)")
            self._take()
            pairs.append((key, self._ternary()))
            if self._peek() == ",":
                self._take(",")
        self._take("}")
        return lambda names: {key(names): value(names) for key, value in pairs}

    def _list(self) -> _Node:
        items: list[_Node] = []
        while self._peek() != "]":
            items.append(self._ternary())
            if self._peek() != ",":
                break
            self._take(",")
        self._take("]")
        return lambda names: [item(names) for item in items]

    def _for(self, closing: str) -> _Node:
        """``[for x in c : v if f]``, ``{for k, v in c : k => v if f}``."""
        self._take("for")
        variables = [self._name()]
        if self._peek() == ",":
            self._take(",")
            variables.append(self._name())
        self._take("in")
        collection = self._ternary()
        self._take(":")
        key = self._ternary() if closing == "}" else None
        if key is not None:
            self._take("=>")
        value = self._ternary()
        condition = None
        if self._peek() == "if":
            self._take("if")
            condition = self._ternary()
        self._take(closing)

        def run(names: Mapping[str, Any]) -> Any:
            found = collection(names)
            pairs = (
                sorted(found.items())
                if isinstance(found, dict)
                else list(enumerate(found))
                if isinstance(found, list)
                else None
            )
            if pairs is None:
                raise UnsupportedExpression(f"`{self.text}` (for over {found!r})")
            results: list[tuple[Any, Any]] = []
            for index, element in pairs:
                bound = dict(names)
                if len(variables) == 2:
                    bound[variables[0]], bound[variables[1]] = index, element
                else:
                    bound[variables[0]] = element
                if condition is not None and not self._truth(condition, bound):
                    continue
                results.append((key(bound) if key else None, value(bound)))
            if key is None:
                return [item for _, item in results]
            return dict(results)

        return run

    def _name(self) -> str:
        kind, text = self._take()
        if kind != "name" or not text.isidentifier():
            raise UnsupportedExpression(f"`{self.text}` (a for variable {text!r})")
        return text

    def _call(self, function: str) -> _Node:
        if function != "try" and function not in self.functions:
            raise UnsupportedExpression(f"`{self.text}` (the function {function})")
        self._take("(")
        arguments: list[_Node] = []
        while self._peek() != ")":
            arguments.append(self._ternary())
            if self._peek() != ",":
                break
            self._take(",")
        self._take(")")
        if function == "try":
            return self._try(arguments)
        apply = self.functions[function]
        return lambda names: apply(*(argument(names) for argument in arguments))

    def _try(self, arguments: list[_Node]) -> _Node:
        """The first argument Terraform can evaluate; what this evaluator cannot is no answer."""
        if not arguments:
            raise UnsupportedExpression(f"`{self.text}` (try of nothing)")

        def attempt(names: Mapping[str, Any]) -> Any:
            for argument in arguments[:-1]:
                try:
                    return argument(names)
                except EvaluationError:
                    continue
            return arguments[-1](names)

        return attempt


def _constant(value: Any) -> _Node:
    return lambda _: value


# An interpolation in a string literal: ``${`` an expression (which may hold
# quoted strings, no braces) ``}``.
_INTERPOLATION = re.compile(r"\$\{((?:[^{}\"]|\"[^\"]*\")*)\}")


def _text(value: Any, text: str) -> str:
    """What an interpolation writes: strings and numbers, as Terraform converts them."""
    if isinstance(value, bool) or value is None or not isinstance(value, str | int | float):
        raise UnsupportedExpression(f"`{text}` (interpolating {value!r})")
    return value if isinstance(value, str) else f"{value:g}"


def _mapping(value: Any, text: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise UnsupportedExpression(f"`{text}` (keys or values of {value!r})")
    return value
