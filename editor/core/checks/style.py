"""The house style file: YAML rules with levels, found by path, environment or default.

`load_style()` reads `resources/style/house.yml`; a newsroom's own file (a preference,
`newsroom check --style FILE` or `$NEWSROOM_STYLE`) replaces it or, with
`extends: house`, changes only the rules it names (`level: off` turns one off). Every
mistake in a file is a `StyleError` naming the file and line.

A file may also name the newsroom's own agency formats for the wire importer, each a
kind (byline, dateline, credit, furniture) and a regular expression, tried before the
shapes the importer knows:

    wire:
      northwire-dateline:
        kind: dateline
        pattern: '^(?P<dateline>[A-Z]+) \\(Northwire\\) ::\\s+'
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from editor.core.checks import builtin  # noqa: F401 - registers the built-in kinds
from editor.core.checks.rules import compile_rule
from editor.core.checks.spec import RuleSpec, Style, StyleError
from editor.core.errors import ValidationError
from editor.core.importers.wire import WirePattern, wire_pattern
from editor.core.resources import resource

STYLE_ENV = "NEWSROOM_STYLE"
HOUSE = "house"
LEVELS = ("error", "warning", "suggestion")
_LINE_KEY = "__line__"


@functools.cache
def _line_loader() -> type:
    """A SafeLoader that remembers the line of every mapping, for messages (made when a
    style is first read: PyYAML is not imported before the window's first paint)."""
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def mapping_with_line(loader: LineLoader, node: yaml.MappingNode) -> dict:
        mapping = loader.construct_mapping(node, deep=True)
        mapping[_LINE_KEY] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping_with_line)
    return LineLoader


def house_style_text() -> str:
    return resource("style", "house.yml").read_text(encoding="utf-8")


def style_path_from(explicit: str | Path | None = None) -> Path | None:
    """The style file in force: an explicit path, then `$NEWSROOM_STYLE`; None = house."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(STYLE_ENV, "").strip()
    return Path(env).expanduser() if env else None


def load_style(path: str | Path | None = None) -> Style:
    """The house style, or the file at `path` (merged over the house style if it extends it)."""
    house = parse_style(house_style_text(), "house.yml")
    if path is None:
        return house
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StyleError(f"Style file {path}: no such file.") from None
    except UnicodeDecodeError:
        raise StyleError(f"Style file {path} is not UTF-8 text.") from None
    except OSError as error:
        raise StyleError(f"Cannot read the style file {path}: {error.strerror}.") from None
    if "\x00" in text:
        raise StyleError(f"Style file {path} is not a text file (it holds binary data).")
    style = parse_style(text, path.name, base=house)
    # Compile its rules now, so an unknown kind or a bad pattern is said when the file is
    # chosen (Preferences, --style), not later by the first check that runs.
    for spec in style.rules:
        compile_rule(spec)
    return style


def parse_style(text: str, source: str, base: Style | None = None) -> Style:
    """Rules from YAML text; with `extends: house` in it, merged over `base`."""
    import yaml

    try:
        data = yaml.load(text, Loader=_line_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        problem = " ".join(str(error.problem or error.context or "not valid YAML").split())
        raise StyleError(f"{source}{line}: not valid YAML ({problem}).") from None
    except yaml.YAMLError as error:
        raise StyleError(f"{source}: not valid YAML ({' '.join(str(error).split())}).") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise StyleError(f"{source}: a style file is a mapping with a 'rules' key.")
    unknown = set(data) - {"rules", "extends", "version", "wire", _LINE_KEY}
    if unknown:
        keys = "key" if len(unknown) == 1 else "keys"
        raise StyleError(f"{source}: unknown {keys} {', '.join(sorted(map(str, unknown)))}.")
    extends = data.get("extends")
    if extends not in (None, HOUSE):
        raise StyleError(f"{source}: 'extends' can only name '{HOUSE}'.")
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise StyleError(f"{source}: 'rules' must map rule names to their settings.")
    merged: dict[str, dict] = {}
    if extends and base is not None:
        merged = {spec.id: _spec_dict(spec) for spec in base.rules}
    for rule_id, settings in rules.items():
        if rule_id == _LINE_KEY:
            continue
        if not isinstance(settings, dict):
            raise StyleError(f"{source}: rule '{rule_id}' must be a mapping of settings.")
        line = settings.get(_LINE_KEY, 0)
        entry = dict(merged.get(str(rule_id), {}))
        entry.update({k: v for k, v in settings.items() if k != _LINE_KEY})
        entry["__source__"], entry[_LINE_KEY] = source, line
        merged[str(rule_id)] = entry
    specs = []
    for rule_id, entry in merged.items():
        spec = _spec(rule_id, entry)
        if spec is not None:
            specs.append(spec)
    canonical = json.dumps(
        [[s.id, s.kind, s.level, s.message, s.options] for s in specs], sort_keys=True, default=str
    )
    version = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    wire = _wire_patterns(data.get("wire"), source)
    if extends and base is not None:
        wire += tuple(p for p in base.wire if p.name not in {own.name for own in wire})
    return Style(tuple(specs), source, version, wire)


def _wire_patterns(entries: object, source: str) -> tuple[WirePattern, ...]:
    """The `wire:` mapping (name -> kind and pattern) as checked patterns, in file order."""
    if entries is None:
        return ()
    if not isinstance(entries, dict):
        raise StyleError(f"{source}: 'wire' must map pattern names to a kind and a pattern.")
    patterns = []
    for name, entry in entries.items():
        if name == _LINE_KEY:
            continue
        line = entry.get(_LINE_KEY, 0) if isinstance(entry, dict) else 0
        where = f"{source}, line {line}" if line else source
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            raise StyleError(f"{where}: wire pattern '{name}' needs a kind and a pattern.")
        unknown = set(entry) - {"kind", "pattern", _LINE_KEY}
        if unknown:
            raise StyleError(
                f"{where}: wire pattern '{name}': unknown key {', '.join(sorted(unknown))}."
            )
        try:
            patterns.append(wire_pattern(str(name), str(entry.get("kind")), entry["pattern"]))
        except ValidationError as error:
            raise StyleError(f"{where}: {error}") from None
    return tuple(patterns)


def _spec_dict(spec: RuleSpec) -> dict:
    entry = dict(spec.options)
    entry.update(kind=spec.kind, level=spec.level, message=spec.message)
    entry["__source__"], entry[_LINE_KEY] = spec.source, spec.line
    return entry


def _spec(rule_id: str, entry: dict) -> RuleSpec | None:
    source, line = entry.pop("__source__", ""), entry.pop(_LINE_KEY, 0)
    where = f"{source}, line {line}" if line else source
    level = str(entry.pop("level", "warning")).lower()
    if level in ("off", "false", "none"):
        return None
    if level not in LEVELS:
        raise StyleError(
            f"{where}: rule '{rule_id}': level '{level}' is not one of error, warning, "
            "suggestion or off."
        )
    kind = entry.pop("kind", None)
    if not kind:
        raise StyleError(f"{where}: rule '{rule_id}' has no 'kind'.")
    message = entry.pop("message", "") or ""
    options = _strip_lines(entry)
    return RuleSpec(rule_id, str(kind), level, str(message), options, source, line)


def _strip_lines(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != _LINE_KEY}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value
