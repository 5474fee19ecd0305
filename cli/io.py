"""File reading for the CLI: JSON, or YAML with the same keys (PyYAML ``safe_load``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

SUFFIXES = (".json", ".yaml", ".yml")


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
            return yaml.safe_load(text)
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
