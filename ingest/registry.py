"""The feed registry (数据源登记): load and validate ingest/feeds/*.yaml.

One YAML file per department is the single place a feed is declared; DAG tasks,
dbt sources, quality suites and catalog entries are derived from what this
module returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from citylake.core.yamlio import load_yaml

FEEDS_DIR = Path(__file__).with_name("feeds")
FORMATS = {"csv", "xlsx", "jsonl", "sqlite"}
DELIVERIES = {"snapshot", "increment", "watermark"}
ENCODINGS = {"utf-8", "utf-8-sig", "gbk", "gb18030"}


class RegistryError(ValueError):
    """The feed registry is inconsistent (names the file and the problem)."""


@dataclass(frozen=True)
class Field:
    source: str
    name: str
    element: str | None = None
    required: bool = False
    type: str | None = None


@dataclass(frozen=True)
class Department:
    id: str
    code: str
    name_zh: str
    name_en: str
    owner: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Feed:
    id: str
    department: Department
    name_zh: str
    name_en: str
    format: str
    delivery: str
    update_cycle: str
    file: str
    primary_key: tuple[str, ...]
    fields: tuple[Field, ...]
    encoding: str | None = None
    header_row: int = 1
    sheets: tuple[str, ...] | None = None
    table: str | None = None
    watermark: str | None = None
    sharing: str | None = None
    allow_no_rows: bool = False       # a delivery with a header and no rows lands 0 rows (quiet night)
    allow_extra_sheets: bool = False  # workbook sheets that are not data sheets (notes) are skipped

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def is_event(self) -> bool:
        """Increment/watermark feeds carry new rows each night; snapshots restate the full state."""
        return self.delivery != "snapshot"

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"feed {self.id} has no field {name!r}")

    def inbox_path(self, inbox: Path, date: str) -> Path:
        """Where this feed's delivery for `date` (YYYY-MM-DD) is expected in the inbox."""
        return inbox / self.file.format(date=date.replace("-", ""))

    def raw_dir(self, raw_root: Path, date: str) -> Path:
        return raw_root / self.department.id / self.id / f"dt={date}"


def _load_file(path: Path) -> list[Feed]:
    doc = load_yaml(path)
    try:
        d = doc["department"]
        dept = Department(id=d["id"], code=str(d["code"]), name_zh=d["name_zh"],
                          name_en=d["name_en"], owner=d.get("owner", {}))
        feeds = []
        for f in doc["feeds"]:
            fields = tuple(Field(source=str(x["source"]), name=x["name"], element=x.get("element"),
                                 required=bool(x.get("required", False)), type=x.get("type"))
                           for x in f["fields"])
            feed = Feed(
                id=f["id"], department=dept, name_zh=f["name_zh"], name_en=f["name_en"],
                format=f["format"], delivery=f["delivery"], update_cycle=f["update_cycle"],
                file=f["file"], primary_key=tuple(f["primary_key"]), fields=fields,
                encoding=f.get("encoding"), header_row=int(f.get("header_row", 1)),
                sheets=tuple(f["sheets"]) if f.get("sheets") else None,
                table=f.get("table"), watermark=f.get("watermark"), sharing=f.get("sharing"),
                allow_no_rows=bool(f.get("allow_no_rows", False)),
                allow_extra_sheets=bool(f.get("allow_extra_sheets", False)),
            )
            _check(feed, path)
            feeds.append(feed)
    except KeyError as e:
        raise RegistryError(f"{path.name}: missing key {e}") from e
    return feeds


def _check(feed: Feed, path: Path) -> None:
    where = f"{path.name}: feed {feed.id}"
    if feed.format not in FORMATS:
        raise RegistryError(f"{where}: format {feed.format!r} not in {sorted(FORMATS)}")
    if feed.delivery not in DELIVERIES:
        raise RegistryError(f"{where}: delivery {feed.delivery!r} not in {sorted(DELIVERIES)}")
    if feed.format == "csv" and feed.encoding not in ENCODINGS:
        raise RegistryError(f"{where}: csv feeds must declare encoding, one of {sorted(ENCODINGS)}")
    if feed.format == "sqlite" and not (feed.table and feed.watermark):
        raise RegistryError(f"{where}: sqlite feeds need table and watermark")
    if feed.allow_no_rows and not feed.is_event:
        raise RegistryError(f"{where}: allow_no_rows is for event feeds only (a snapshot with no rows is a broken export)")
    if feed.allow_extra_sheets and feed.format != "xlsx":
        raise RegistryError(f"{where}: allow_extra_sheets is for xlsx feeds only")
    names = feed.columns
    if len(set(names)) != len(names):
        raise RegistryError(f"{where}: duplicate column names")
    missing = [k for k in feed.primary_key if k not in names]
    if missing:
        raise RegistryError(f"{where}: primary key columns {missing} are not fields")
    if not feed.id.startswith(feed.department.id + "_"):
        raise RegistryError(f"{where}: feed id must start with the department id '{feed.department.id}_'")


@cache
def load(feeds_dir: Path = FEEDS_DIR) -> dict[str, Feed]:
    """All feeds by id, in file order."""
    out: dict[str, Feed] = {}
    for path in sorted(feeds_dir.glob("*.yaml")):
        for feed in _load_file(path):
            if feed.id in out:
                raise RegistryError(f"{path.name}: feed id {feed.id} declared twice")
            out[feed.id] = feed
    return out


def departments(feeds_dir: Path = FEEDS_DIR) -> dict[str, Department]:
    return {f.department.id: f.department for f in load(feeds_dir).values()}


def feed(feed_id: str) -> Feed:
    feeds = load()
    if feed_id not in feeds:
        raise RegistryError(f"unknown feed {feed_id!r}; known: {', '.join(feeds)}")
    return feeds[feed_id]
