"""Reads a catalog folder in the AgenticShop CSV layout into validated rows, before anything touches the
database. The workshop data is published in two layouts that name three files and one column
differently (LAYOUTS); the folder's file names say which one it is. Our `data/` uses the newer one,
plus two optional columns.

Every problem is reported as file, line and column; a folder with any problem is rejected whole.
"""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from agentic_shop.catalog.html import sanitize_html

MAX_REPORTED_ERRORS = 20
SENTIMENTS = {"positive", "negative", "neutral"}
_EMPTY = {"", "null", "none", "nan", "n/a"}


class CatalogFormatError(ValueError):
    """The folder is not a valid catalog; `errors` lists each problem as 'file line N: ...'."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        super().__init__("\n".join(shown) + (f"\n... and {more} more problems" if more > 0 else ""))


# --- value parsers: each raises ValueError with a human reason ------------------------------------
def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


def _opt_text(value: str) -> str | None:
    return None if value.strip().lower() in _EMPTY else value.strip()


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        pass
    try:  # "12.0", as pandas exports integer columns that have gaps
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _opt_int(value: str) -> int | None:
    return None if value.strip().lower() in _EMPTY else _int(value)


def _money(value: str) -> Decimal:
    try:
        amount = Decimal(value.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a price") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{value!r} is not a price")
    return amount.quantize(Decimal("0.01"))


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"true", "t", "1", "yes", "y"}:
        return True
    if lowered in {"false", "f", "0", "no", "n"}:
        return False
    raise ValueError(f"{value!r} is not true/false")


def _in_stock(value: str) -> bool | int:
    """A count (the AgenticShop export) or a yes/no flag (ours, next to a `stock` column)."""
    return int(value.strip()) if value.strip().isdigit() else _bool(value)


def _structured(value: str) -> Any:
    """JSON, or a Python literal (some exports write ['a', 'b'] with single quotes)."""
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            raise ValueError(f"{value[:60]!r} is not JSON") from None


def _str_list(value: str) -> list[str]:
    if value.strip().lower() in _EMPTY:
        return []
    if value.strip().startswith("["):
        parsed = _structured(value)
        if not isinstance(parsed, list):
            raise ValueError("is not a list")
        return [str(item).strip() for item in parsed if str(item).strip()]
    # A plain "a, b" or "a|b" list.
    separator = "|" if "|" in value else ","
    return [item.strip() for item in value.split(separator) if item.strip()]


def _json_object(value: str) -> dict[str, Any]:
    if value.strip().lower() in _EMPTY:
        return {}
    parsed = _structured(value)
    if not isinstance(parsed, dict):
        raise ValueError("is not a JSON object")
    return parsed


def _rating(value: str) -> int:
    try:
        rating = round(float(value))
    except (ValueError, OverflowError):
        rating = None
    if rating is None or not 1 <= rating <= 5:
        raise ValueError(f"{value!r} is not a rating from 1 to 5")
    return rating


def _sentiment(value: str) -> str | None:
    lowered = value.strip().lower()
    if lowered in _EMPTY:
        return None
    if lowered not in SENTIMENTS:
        raise ValueError(f"{value!r} is not positive, negative or neutral")
    return lowered


def _opt_date(value: str) -> date | None:
    if value.strip().lower() in _EMPTY:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


# --- the layout ------------------------------------------------------------------------------------
Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    source: str  # header in the CSV
    target: str  # field name in our rows
    parse: Parser
    required: bool = True  # False: our own optional extension of the AgenticShop layout


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]


LAYOUT: tuple[FileSpec, ...] = (
    FileSpec(
        "users.csv",
        (
            Column("id", "id", _int),
            Column("first_name", "first_name", _text),
            Column("last_name", "last_name", _opt_text),
            Column("city", "city", _opt_text),
            Column("gender", "gender", _opt_text),
            Column("age", "age", _opt_int),
            Column("hobbies", "hobbies", _str_list),
            Column("location", "location", _opt_text),
            Column("lifestyle_preferences", "lifestyle", _str_list),
            Column("preferences", "preferences", _str_list),
            Column("avatar_url", "avatar_url", _opt_text),
        ),
    ),
    FileSpec(
        "products.csv",
        (
            Column("id", "id", _int),
            Column("name", "name", _text),
            Column("category", "category", _text),
            Column("price", "price", _money),
            Column("brand", "brand", _opt_text),
            Column("description", "description_html", sanitize_html),
            Column("specifications", "specifications", _json_object),
        ),
    ),
    FileSpec(
        "features.csv",
        (
            Column("id", "id", _int),
            Column("feature_name", "name", _text),
            Column("categories", "categories", _str_list),
        ),
    ),
    FileSpec(
        "product_features.csv",
        (
            Column("id", "id", _int),
            Column("product_id", "product_id", _int),
            Column("feature_id", "feature_id", _int),
        ),
    ),
    FileSpec(
        "product_reviews.csv",
        (
            Column("id", "id", _int),
            Column("product_id", "product_id", _int),
            Column("user_name", "author", _opt_text),
            Column("review", "text", _text),
            Column("rating", "rating", _rating),
            Column("feature_id", "feature_id", _opt_int),
            Column("sentiment", "sentiment", _sentiment),
            Column("review_date", "review_date", _opt_date, required=False),
        ),
    ),
    FileSpec(
        "product_images.csv",
        (
            Column("id", "id", _int),
            Column("product_id", "product_id", _int),
            Column("image_url", "url", _text),
        ),
    ),
    FileSpec(
        "variants.csv",
        (
            Column("id", "id", _int),
            Column("product_id", "product_id", _int),
            Column("price", "price", _money),
            Column("in_stock", "in_stock", _in_stock),
            Column("stock", "stock", _opt_int, required=False),
        ),
    ),
    FileSpec(
        "variant_attributes.csv",
        (
            Column("id", "id", _int),
            Column("product_id", "product_id", _int),
            Column("variant_id", "variant_id", _int),
            Column("attribute_name", "name", _text),
            Column("attribute_value", "value", _text),
        ),
    ),
)


@dataclass(frozen=True)
class Layout:
    """How one publication of the AgenticShop data names LAYOUT's files and columns. Only the reader
    sees their names: the rows it returns are keyed by ours, whichever layout the folder has."""

    name: str
    files: Mapping[str, str] = field(default_factory=dict)  # our file name -> theirs, where they differ
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # our file -> our header -> theirs

    def file(self, ours: str) -> str:
        return self.files.get(ours, ours)

    def spec(self, ours: FileSpec) -> FileSpec:
        """`ours` as this layout writes it, so that problems are reported with the folder's own names."""
        renamed = self.columns.get(ours.name, {})
        columns = tuple(replace(c, source=renamed.get(c.source, c.source)) for c in ours.columns)
        return FileSpec(self.file(ours.name), columns)

    def describe(self) -> str:
        """The names that tell this layout apart, e.g. 'product.csv, review.csv (review_text), ...'."""
        return ", ".join(
            f"{self.file(name)} ({', '.join(self.columns[name].values())})"
            if name in self.columns
            else self.file(name)
            for name in _DISTINCT_FILES
        )


# The newer fork names its files as we do (our data/ has its layout). The original names three files
# in the singular and the review column `review_text`; its product_features.csv also repeats
# feature_name, an extra column that is ignored like any other.
TECHNOFOCUS = Layout("technofocus-pte/postgres-agentic-shop")
AZURE_SAMPLES = Layout(
    "Azure-Samples/postgres-agentic-shop",
    files={
        "products.csv": "product.csv",
        "product_reviews.csv": "review.csv",
        "product_images.csv": "product_image.csv",
    },
    columns={"product_reviews.csv": {"review": "review_text"}},
)
LAYOUTS = (TECHNOFOCUS, AZURE_SAMPLES)
_DISTINCT_FILES = tuple(AZURE_SAMPLES.files)  # the file names that tell the layouts apart


@dataclass
class CatalogData:
    """Validated rows per table, keyed by our file and column names, plus the CSV line of each row and
    the layout they were read in."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    layout: Layout = TECHNOFOCUS

    def __getitem__(self, file_name: str) -> list[dict[str, Any]]:
        return self.rows[file_name]


def detect_layout(directory: Path) -> Layout:
    """The layout whose files are all in the folder. When none is complete, the one that misses the
    fewest (ours on a tie), so that its missing files are the ones reported."""
    complete = [layout for layout in LAYOUTS if not _missing_files(directory, layout)]
    if len(complete) > 1:
        # Guessing which set is meant could import the stale one; the user knows.
        names = " and ".join(f"{layout.name} ({layout.describe()})" for layout in complete)
        raise CatalogFormatError([f"{directory}: has the files of two layouts, {names}; keep one set"])
    if complete:
        return complete[0]
    return min(LAYOUTS, key=lambda layout: len(_missing_files(directory, layout)))


def _missing_files(directory: Path, layout: Layout) -> list[str]:
    names = (layout.file(spec.name) for spec in LAYOUT)
    return [name for name in names if not (directory / name).is_file()]


def read_catalog(directory: Path) -> CatalogData:
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogFormatError([f"{directory}: not a folder"])
    layout = detect_layout(directory)
    missing = _missing_files(directory, layout)
    if missing:
        raise CatalogFormatError(
            [f"{directory}: missing file {name} ({layout.name} layout)" for name in missing]
        )
    data, errors = CatalogData(layout=layout), []
    for spec in LAYOUT:
        theirs = layout.spec(spec)
        rows, lines = _read_file(directory / theirs.name, theirs, errors)
        data.rows[spec.name], data.lines[spec.name] = rows, lines
    if not errors:
        _check_references(data, errors)
    if errors:
        raise CatalogFormatError(errors)
    return data


def _read_file(path: Path, spec: FileSpec, errors: list[str]) -> tuple[list[dict[str, Any]], list[int]]:
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    # utf-8-sig: spreadsheet exports often start with a byte-order mark.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip().strip('"').lower() for h in next(reader, [])]
        absent = [c.source for c in spec.columns if c.required and c.source not in header]
        if absent:
            errors.extend(f"{spec.name}: missing column {name!r} (header: {header})" for name in absent)
            return rows, lines
        positions = {c.source: header.index(c.source) for c in spec.columns if c.source in header}
        seen_ids: set[int] = set()
        start_line = reader.line_num + 1
        for raw in reader:
            line, start_line = start_line, reader.line_num + 1
            if not any(cell.strip() for cell in raw):
                continue
            if len(raw) < len(header):
                errors.append(f"{spec.name} line {line}: {len(raw)} fields, expected {len(header)}")
                continue
            row = _parse_row(spec, raw, positions, f"{spec.name} line {line}", errors)
            if row is None:
                continue
            if row["id"] in seen_ids:
                errors.append(f"{spec.name} line {line}: duplicate id {row['id']}")
                continue
            seen_ids.add(row["id"])
            rows.append(row)
            lines.append(line)
    return rows, lines


def _parse_row(
    spec: FileSpec, raw: list[str], positions: dict[str, int], where: str, errors: list[str]
) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    ok = True
    for column in spec.columns:
        if column.source not in positions:
            row[column.target] = None
            continue
        try:
            row[column.target] = column.parse(raw[positions[column.source]])
        except ValueError as exc:
            errors.append(f"{where}: column {column.source!r} {exc}")
            ok = False
    return row if ok else None


def _check_references(data: CatalogData, errors: list[str]) -> None:
    ids = {
        name: {row["id"] for row in data[name]} for name in ("products.csv", "features.csv", "variants.csv")
    }
    checks = (
        ("product_features.csv", "product_id", "products.csv"),
        ("product_features.csv", "feature_id", "features.csv"),
        ("product_reviews.csv", "product_id", "products.csv"),
        ("product_reviews.csv", "feature_id", "features.csv"),
        ("product_images.csv", "product_id", "products.csv"),
        ("variants.csv", "product_id", "products.csv"),
        ("variant_attributes.csv", "variant_id", "variants.csv"),
    )
    file = data.layout.file
    for file_name, column, target in checks:
        for row, line in zip(data[file_name], data.lines[file_name], strict=True):
            value = row[column]
            if value is not None and value not in ids[target]:
                errors.append(f"{file(file_name)} line {line}: {column} {value} not found in {file(target)}")
