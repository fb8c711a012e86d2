"""A careful YAML reader: every value keeps its line, every scalar stays text (no YAML
type guessing), duplicate keys, cycles, excessive depth and binary input are errors.

>>> doc = read_yaml_text("a: 1\\nb: [x, {value: y}]\\n", "f.yaml")
>>> doc["b"].value[1]["value"].value, doc["b"].value[1]["value"].line
('y', 2)
>>> read_yaml_text("a: 1\\na: 2\\n", "f.yaml")
Traceback (most recent call last):
...
privacykg.errors.DataError: f.yaml:2: a: duplicate key 'a' (each key may appear once in a mapping)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import DataError, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32


@dataclass
class Node:
    """A YAML value with the line it starts on (1-based)."""

    value: str | list | Mapping
    line: int

    def __getitem__(self, key):
        return self.value[key]

    def get(self, key, default=None):
        return self.value.get(key, default) if isinstance(self.value, dict) else default


class Mapping(dict):
    """A dict of ``str -> Node`` that remembers the line of each key."""

    key_lines: dict


def decode_text(data: bytes, filename: str) -> str:
    """Decode UTF-8 text (a BOM is dropped, CRLF and CR become LF); refuse binary content
    and other encodings with the line of the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            [
                Problem(
                    filename,
                    f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    hint="split the policy or shorten it",
                )
            ]
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    filename,
                    "binary content (a NUL byte): not a text file",
                    line=line,
                    hint="annotation files and sources are UTF-8 text",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    filename,
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                    line=line,
                    hint="save the file as UTF-8",
                )
            ]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml_file(path: Path | str) -> Node:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(str(path), f"cannot read the file: {exc.strerror}")]) from None
    return read_yaml_text(decode_text(data, str(path)), str(path))


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present
    """Composes nodes only; every scalar stays text, so no implicit type is resolved (the
    resolver's regular expressions were a good part of the reading time)."""

    _TAGS = {
        yaml.ScalarNode: "tag:yaml.org,2002:str",
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map",
    }

    def resolve(self, kind, value, implicit):
        return self._TAGS[kind]


def read_yaml_text(text: str, filename: str) -> Node:
    if not text.strip():
        raise DataError([Problem(filename, "the file is empty", hint="start from an existing policy file")])
    try:
        root = yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(
            [
                Problem(
                    filename,
                    f"YAML syntax error: {exc.problem or exc}",
                    line=line,
                    hint=str(exc.context) if exc.context else "check indentation and quoting",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(filename, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DataError([Problem(filename, "the YAML is nested too deeply")]) from None
    if root is None:
        raise DataError([Problem(filename, "the file holds no YAML document")])
    return _convert(root, filename, None, 0, set())


def _path_text(path) -> str | None:
    """The field path (``a.b[2].c``) of a node from its chain ``(parent chain, key or index)``."""
    parts = []
    while path is not None:
        path, part = path
        parts.append(part)
    text = ""
    for part in reversed(parts):
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or None


def _convert(node: yaml.Node, filename: str, path, depth: int, active: set) -> Node:
    """The node as :class:`Node` values; ``path`` is the chain of keys to it (made into text
    only for an error message), ``active`` the containers being converted (a cycle check)."""
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise DataError(
            [Problem(filename, f"nested more than {MAX_DEPTH} levels deep", line=line, field=_path_text(path))]
        )
    if isinstance(node, yaml.ScalarNode):
        return Node(node.value, line)
    if id(node) in active:
        raise DataError(
            [
                Problem(
                    filename,
                    "a YAML alias refers to itself (cyclic structure)",
                    line=line,
                    field=_path_text(path),
                    hint="remove the recursive anchor/alias",
                )
            ]
        )
    active.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return Node(
                [_convert(item, filename, (path, i), depth + 1, active) for i, item in enumerate(node.value)], line
            )
        if isinstance(node, yaml.MappingNode):
            out = Mapping()
            out.key_lines = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _key_error(filename, key_node, path, "a mapping key must be plain text")
                key = key_node.value
                if key == "<<":
                    raise _key_error(
                        filename, key_node, path, "YAML merge keys (<<) are not supported", "write the fields out"
                    )
                if key in out:
                    raise _key_error(
                        filename,
                        key_node,
                        (path, key),
                        f"duplicate key '{key}'",
                        "each key may appear once in a mapping",
                    )
                out.key_lines[key] = key_node.start_mark.line + 1
                out[key] = _convert(value_node, filename, (path, key), depth + 1, active)
            return Node(out, line)
    finally:
        active.discard(id(node))
    raise DataError(
        [Problem(filename, f"unsupported YAML node {type(node).__name__}", line=line, field=_path_text(path))]
    )


def _key_error(filename: str, key_node, path, message: str, hint: str | None = None) -> DataError:
    """What is wrong with a mapping key, at the key's line; ``path`` the field it names."""
    return DataError([Problem(filename, message, line=key_node.start_mark.line + 1, field=_path_text(path), hint=hint)])
