"""File reading for the CLI: JSON, or YAML with the same keys.

YAML is read with YAML 1.2 booleans: only true/false are booleans. PyYAML's default (YAML 1.1)
turns the bare key ``yes`` of every survey count (``{asked: 30, yes: 28}``) into ``True``, and
``on``/``off``/``no`` likewise.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

SUFFIXES = (".json", ".yaml", ".yml")
_BOOL = "tag:yaml.org,2002:bool"


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader whose implicit booleans are only true/false (any case), as in YAML 1.2."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class FileProblem(Exception):
    """A file cannot be read or parsed; ``str()`` names the file."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {message}")


def read_document(path: Path) -> Any:
    """The parsed JSON/YAML document in ``path`` (YAML for .yaml/.yml, JSON otherwise)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileProblem(path, "файл не найден") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileProblem(path, f"не удалось прочитать файл ({exc})") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            return yaml.load(text, Loader=Yaml12Loader)  # a SafeLoader subclass: no objects
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(path, f"ошибка JSON в строке {exc.lineno}, столбце {exc.colno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        raise FileProblem(path, f"ошибка YAML: {exc}") from None


def collect(paths: list[str]) -> list[Path]:
    """Files named on the command line; a directory contributes its *.json/*.yaml/*.yml files
    (not recursive), sorted by name."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                raise FileProblem(path, "в каталоге нет файлов .json, .yaml или .yml")
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise FileProblem(path, "файл не найден")
    return out
