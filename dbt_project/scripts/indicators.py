"""Indicator declarations (dbt_project/indicators/*.yml) -> the dbt macro that exposes them.

Indicators are declared as data in YAML. dbt cannot read arbitrary files from Jinja, so
`python dbt_project/scripts/indicators.py` validates the declarations and writes them as
JSON into `macros/indicators/_declarations.sql` (GENERATED — never edit it by hand);
`--check` exits 1 when that file is out of date (tests/dbt/test_indicators.py runs it).
The series themselves are computed nightly by the one generic macro `indicator_series()`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
DECLARATIONS_DIR = PROJECT / "indicators"
MACRO_FILE = PROJECT / "macros" / "indicators" / "_declarations.sql"
REQUIRED = ("id", "name_zh", "name_en", "definition", "unit", "owner", "model", "measure", "grain", "dimensions")
GRAINS = ("snapshot", "day", "month")


class DeclarationError(ValueError):
    pass


def load(directory: Path = DECLARATIONS_DIR) -> list[dict]:
    """Validated declarations, each with its dimensions resolved to [name, column expression] pairs."""
    dims = yaml.safe_load((directory / "_dimensions.yml").read_text(encoding="utf-8"))["dimensions"]
    out: list[dict] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.yml")):
        if path.name.startswith("_"):
            continue
        for ind in yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]:
            missing = [k for k in REQUIRED if not ind.get(k)]
            if missing:
                raise DeclarationError(f"{path.name}: indicator {ind.get('id')} lacks {missing}")
            if ind["id"] in seen:
                raise DeclarationError(f"{path.name}: duplicate indicator id {ind['id']}")
            seen.add(ind["id"])
            if ind["grain"] not in GRAINS:
                raise DeclarationError(f"{ind['id']}: grain {ind['grain']!r} not in {GRAINS}")
            if not ind.get("total", True) and not ind["dimensions"]:
                raise DeclarationError(f"{ind['id']}: total: false needs at least one dimension")
            if ind["grain"] != "snapshot" and not ind.get("time"):
                raise DeclarationError(f"{ind['id']}: grain {ind['grain']} needs a `time` column")
            resolved = []
            for d in ind["dimensions"]:
                if isinstance(d, str):
                    if d not in dims:
                        raise DeclarationError(f"{ind['id']}: unknown dimension {d!r} (see _dimensions.yml)")
                    resolved.append([d, dims[d]])
                else:
                    ((name, column),) = d.items()
                    resolved.append([name, column])
            out.append({
                "id": ind["id"], "name_zh": ind["name_zh"], "name_en": ind["name_en"],
                "definition": ind["definition"], "unit": str(ind["unit"]), "owner": ind["owner"],
                "model": ind["model"], "measure": ind["measure"], "filter": ind.get("filter", ""),
                "grain": ind["grain"], "time": ind.get("time", ""), "dimensions": resolved,
                "total": bool(ind.get("total", True)),
            })
    return out


def render(declarations: list[dict]) -> str:
    text = json.dumps(declarations, ensure_ascii=False, indent=1)
    return (
        "{#- GENERATED from dbt_project/indicators/*.yml by `python dbt_project/scripts/indicators.py`"
        " — do not edit by hand. -#}\n"
        "{% macro indicator_declarations() %}\n"
        "{%- set declarations -%}\n" + text + "\n{%- endset -%}\n"
        "{{ return(fromjson(declarations)) }}\n"
        "{% endmacro %}\n"
    )


def main(argv: list[str]) -> int:
    text = render(load())
    if "--check" in argv:
        current = MACRO_FILE.read_text(encoding="utf-8") if MACRO_FILE.exists() else ""
        if current != text:
            print(f"{MACRO_FILE} is out of date: run python dbt_project/scripts/indicators.py", file=sys.stderr)
            return 1
        return 0
    MACRO_FILE.parent.mkdir(parents=True, exist_ok=True)
    MACRO_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MACRO_FILE} ({len(load())} indicators)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
