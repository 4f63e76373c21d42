"""The record schema: a fast yes/no check and readable reasons for a no.

Every record goes through a compiled validator (jsonschema-rs). Only a record
that fails it is explained, by the `jsonschema` library, whose error objects
say which keyword failed where; that import costs more than parsing a
thousand records, so valid records never pay it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from .errors import ConfigError
from .records import join_pointer
from .suggest import did_you_mean

BUILTIN_SCHEMA = Path(__file__).parent / "data" / "event.schema.json"
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*(?!\\n)$"
TOPIC_PATTERN = "^[a-z0-9]+([_-][a-z0-9]+)*(?!\\n)$"
# Parts of the built-in schema that annot checks as rules of their own, so that
# the problem carries the rule's word: `$defs` name -> rule id.
RULE_DEFS = {"mode-of-type": "mode", "recipient-required": "role", "reviewer-required": "review",
             "merge-resolved": "merge"}

Anchor = Literal["value", "key", "first-key"]
_JSON_TYPES = {
    "string": "a string", "integer": "an integer", "number": "a number",
    "boolean": "true or false", "null": "null", "array": "a list", "object": "a mapping",
}


class SchemaProblem(NamedTuple):
    """One schema violation: where it is, what to point at, and why."""

    pointer: str
    anchor: Anchor
    message: str


class LocalRefs:
    """Resolves a schema's `$ref`s to JSON files inside the repository; refuses the rest.

    annot never reaches the network, and never reads outside the repository.
    """

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def __call__(self, uri: str) -> Any:
        """The JSON document at `uri` (a file:// address inside the repository)."""
        from urllib.parse import unquote, urlsplit

        from .files import read_regular

        parts = urlsplit(uri)
        if parts.scheme != "file" or self.root is None:
            raise ValueError(f"$ref {uri} is not fetched: annot never reaches the network")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"$ref {uri} is outside the repository")
        return json.loads(read_regular(path).decode("utf-8"))


class RecordSchema:
    """A JSON Schema for records.

    For the built-in schema, the parts that annot's own rules check are
    taken out of what the engines see: the `$defs/topic` enum (the `topic`
    rule checks it, so `annot.yaml` can replace it and the message can
    suggest the closest topic; the schema only asks for a slug) and the
    RULE_DEFS. A project's own schema is checked as it is.
    """

    def __init__(self, schema: dict[str, Any], origin: str, builtin: bool = False,
                 base: Path | None = None, root: Path | None = None) -> None:
        self.origin = origin
        self.raw = schema
        self.builtin = builtin
        self._refs = LocalRefs(root)
        if base is not None and "$id" not in schema:
            schema = {"$id": base.resolve().as_uri(), **schema}  # relative $refs resolve beside it
        self.vocabulary: tuple[str, ...] = ()
        checked = schema
        if builtin:
            defs = dict(schema["$defs"])
            self.vocabulary = tuple(str(t) for t in defs["topic"]["enum"])
            defs["topic"] = {"type": "string", "pattern": TOPIC_PATTERN}
            defs.update({name: {} for name in RULE_DEFS})
            defs["mode"] = {"type": "string"}  # which modes a type has is the mode rule's
            checked = {**schema, "$defs": defs}
        self.checked = checked
        required = schema.get("required") if isinstance(schema, dict) else None
        self.required: frozenset[str] = frozenset(required if isinstance(required, list) else ())
        try:
            import jsonschema_rs

            self._fast = jsonschema_rs.validator_for(checked, retriever=self._refs)
        except Exception as exc:  # jsonschema-rs reports bad schemas with several types
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(origin, f"not a usable JSON Schema: {message}") from None
        try:
            if not builtin:  # the shipped schema's patterns are tested, not checked on every run
                _check_patterns(checked, origin)
        except RecursionError:
            raise ConfigError(origin, "nested too deeply to be a schema") from None

    def is_valid(self, data: Any) -> bool:
        """Whether `data` satisfies the schema (fast)."""
        return bool(self._fast.is_valid(data))

    def problems(self, data: Any) -> list[SchemaProblem]:
        """Every violation, explained (slow: only for records that fail).

        The explaining engine may find nothing where the fast one said no (the
        two read some regular expressions differently): then the fast engine's
        own words stand, so a record is never passed while an engine fails it.
        """
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        def retrieve(uri: str) -> Any:
            return Resource.from_contents(self._refs(uri), default_specification=DRAFT202012)

        registry: Any = Registry(retrieve=retrieve)  # type: ignore[call-arg]
        validator = _explainer()(self.checked, registry=registry)
        found: list[SchemaProblem] = []
        for error in validator.iter_errors(data):
            found.extend(_explain(error))
        if not found:
            for error in self._fast.iter_errors(data):
                pointer = _pointer(error.instance_path)
                found.append(SchemaProblem(pointer, "value", f"{_field(pointer)}: {_cut(error.message)}"))
        unique = {(p.pointer, p.anchor, p.message): p for p in found}
        # A misspelt key also leaves what it should have been missing: the
        # unknown key's "did you mean" says it all.
        misspelt = {p.pointer.rsplit("/", 1)[0] for p in unique.values() if p.anchor == "key"}
        return [p for p in unique.values() if not (p.anchor == "first-key" and p.pointer in misspelt)]


@cache
def builtin() -> RecordSchema:
    """The schema shipped with annot."""
    return RecordSchema(json.loads(BUILTIN_SCHEMA.read_text("utf-8")), str(BUILTIN_SCHEMA), builtin=True)


@cache
def from_file(path: Path, shown: str, root: Path | None = None) -> RecordSchema:
    """A project's own schema (annot.yaml `schema`); its `$ref`s may name files in `root`."""
    from .files import read_regular

    try:
        schema = json.loads(read_regular(path).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(shown, f"cannot read the schema: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(shown, "the schema is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(shown, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:  # a number longer than Python converts
        raise ConfigError(shown, f"not usable JSON: {str(exc).split(';')[0]}") from None
    except RecursionError:
        raise ConfigError(shown, "nested too deeply to be a schema") from None
    if not isinstance(schema, dict):
        raise ConfigError(shown, "a JSON Schema is a JSON object")
    return RecordSchema(schema, shown, base=path, root=root)


@cache
def matches(pattern: str) -> Any:
    """`pattern` as a test of a string, by jsonschema-rs's ECMA 262 engine (linear time).

    Both engines use it, so they never read a pattern differently, and no
    pattern in a project's schema can backtrack for ever in Python's re.
    """
    import jsonschema_rs

    return jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid


@cache
def _explainer() -> Any:
    """jsonschema's draft 2020-12 validator, with every pattern read by `matches`."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, regex: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not matches(regex)(instance):
            yield ValidationError(f"{instance!r} does not match {regex!r}")

    def pattern_properties(validator: Any, patterns: dict[str, Any], instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "object"):
            for regex, subschema in patterns.items():
                for key, value in instance.items():
                    if matches(regex)(key):
                        yield from validator.descend(value, subschema, path=key, schema_path=regex)

    def additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        named = schema.get("properties", {})
        regexes = list(schema.get("patternProperties", {}))
        extras = [k for k in instance if k not in named and not any(matches(r)(k) for r in regexes)]
        if validator.is_type(allowed, "object"):
            for extra in extras:
                yield from validator.descend(instance[extra], allowed, path=extra)
        elif not allowed and extras:
            yield ValidationError(f"additional properties are not allowed: {', '.join(map(repr, extras))}")

    return validators.extend(Draft202012Validator, {
        "pattern": pattern, "patternProperties": pattern_properties,
        "additionalProperties": additional_properties,
    })


def _check_patterns(schema: Any, origin: str) -> None:
    """ConfigError for a patternProperties key Python's re cannot compile: jsonschema still
    reads those keys with re where a schema uses unevaluatedProperties."""
    import re

    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            patterns = list(node["patternProperties"]) if isinstance(node.get("patternProperties"), dict) \
                else []
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ConfigError(origin, f"pattern {pattern!r} is not one both schema engines read "
                                              f"({exc}); write it without that construct") from None
            stack.extend(node.values())


def _field(pointer: str) -> str:
    """A readable name for the place `pointer` names."""
    tokens = pointer.split("/")[1:]
    names = [t for t in tokens if not t.isdigit()]
    return names[-1].replace("~1", "/").replace("~0", "~") if names else "the record"


def _pointer(path: Any) -> str:
    pointer = ""
    for token in path:
        pointer = join_pointer(pointer, token)
    return pointer


def _explain(error: Any) -> list[SchemaProblem]:
    pointer = _pointer(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    name = _field(pointer)
    if keyword == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        in_then = "then" in list(error.relative_schema_path)
        why = " (needed when a participant has no name)" if in_then and missing == ["title"] else ""
        return [
            SchemaProblem(pointer, "first-key", f"missing required key '{key}'{why}")
            for key in missing
        ]
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))

        extras = [
            k for k in value
            if k not in allowed and not any(matches(p)(k) for p in patterns)
        ]
        return [
            SchemaProblem(
                join_pointer(pointer, key),
                "key",
                f"unknown key '{key}'{did_you_mean(key, allowed)}"
                + (f"; allowed here: {', '.join(allowed)}" if allowed and len(allowed) <= 12 else ""),
            )
            for key in extras
        ]
    if keyword == "enum":
        choices = [str(c) for c in error.validator_value]
        if len(choices) <= 16:
            expected = "one of " + ", ".join(choices)
        else:
            expected = schema.get("description", f"one of {len(choices)} allowed values")
            expected = expected.rstrip(".")
        return [SchemaProblem(
            pointer, "value",
            f"{name} {_shown(value)} is not allowed: expected {expected}"
            + did_you_mean(value, choices),
        )]
    forbidden = error.validator_value if keyword == "not" else None
    if isinstance(forbidden, dict) and set(forbidden) == {"required"}:
        return [
            SchemaProblem(join_pointer(pointer, key), "key",
                          schema.get("description") or f"'{key}' is not allowed here")
            for key in forbidden["required"]
        ]
    if keyword == "const":
        return [SchemaProblem(pointer, "value", f"{name} must be {json.dumps(error.validator_value)}")]
    if keyword == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = " or ".join(_JSON_TYPES.get(str(t), str(t)) for t in types)
        return [SchemaProblem(pointer, "value", f"{name} must be {expected}, not {_kind(value)}")]
    if keyword == "pattern":
        hint = schema.get("description", "")
        hint = f"; expected {hint.rstrip('.')}" if hint else f" (pattern {error.validator_value})"
        if error.validator_value == SLUG_PATTERN:
            hint = "; expected a slug of lowercase letters and digits joined by single hyphens"
        elif error.validator_value == TOPIC_PATTERN:
            hint = "; expected a slug such as human_rights"
        return [SchemaProblem(
            pointer, "value", f"{name} {_shown(value)} is not valid{hint}"
        )]
    if keyword == "minItems":
        n = error.validator_value
        return [SchemaProblem(pointer, "value", f"{name} needs at least {n} item{'s' * (n != 1)}")]
    if keyword == "maxItems":
        return [SchemaProblem(pointer, "value", f"{name} has more than {error.validator_value} items")]
    if keyword == "uniqueItems" and isinstance(value, list):
        counted: dict[str, int] = {}
        for item in value:
            key = json.dumps(item, sort_keys=True)
            counted[key] = counted.get(key, 0) + 1
        dups = [_shown(json.loads(k)) for k, n in counted.items() if n > 1]
        more = f" and {len(dups) - 5} more" if len(dups) > 5 else ""
        return [SchemaProblem(pointer, "value", f"{name} lists {', '.join(dups[:5])}{more} more than once")]
    if keyword == "minLength":
        if error.validator_value == 1:
            return [SchemaProblem(pointer, "value", f"{name} must not be empty")]
        return [SchemaProblem(pointer, "value", f"{name} is shorter than {error.validator_value} characters")]
    if keyword == "maxLength":
        return [SchemaProblem(pointer, "value", f"{name} is longer than {error.validator_value} characters")]
    if keyword == "minimum":
        return [SchemaProblem(pointer, "value", f"{name} must be at least {error.validator_value}")]
    if keyword == "anyOf" and all(
        isinstance(s, dict) and set(s) == {"required"} for s in error.validator_value
    ):
        keys = [k for s in error.validator_value for k in s["required"]]
        whose = "the record" if not pointer else f"{name} {pointer.rsplit('/', 1)[1]}" \
            if pointer.rsplit("/", 1)[1].isdigit() else name
        return [SchemaProblem(
            pointer, "first-key",
            f"{whose} needs at least one of " + ", ".join(f"'{k}'" for k in keys),
        )]
    if error.context:  # anyOf / oneOf: explain the branch that came closest
        from jsonschema.exceptions import best_match

        return _explain(best_match(error.context))
    return [SchemaProblem(pointer, "value", f"{name}: {_cut(error.message)}")]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the string {_shown(value)}"


def _cut(message: str, limit: int = 200) -> str:
    """An engine's own message, which may quote a whole value, cut to `limit` characters."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: JSON, cut to `limit` characters (a value may be a megabyte)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]
