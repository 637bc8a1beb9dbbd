"""`shop data import-agenticshop DIR`: replace the catalog with the public AgenticShop workshop data.

The whole folder is validated first; then, in one transaction, the old catalog is removed, the new
one loaded with embeddings, and the agents' cache emptied. Any error leaves the database exactly as it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from agentic_shop.agents import cache
from agentic_shop.catalog.loader import clear_catalog, load_catalog
from agentic_shop.catalog.reader import CatalogData, read_catalog
from agentic_shop.embeddings import Embedder

PLACEHOLDER_IMAGE = "/static/img/placeholder.svg"


@dataclass(frozen=True)
class ImportReport:
    counts: dict[str, int]
    images_copied: int
    images_missing: int


def import_agenticshop(
    directory: Path, engine: Engine, embedder: Embedder, media_dir: Path, progress: bool = True
) -> ImportReport:
    data = read_catalog(directory)
    copied, missing = _localize_images(data, Path(directory), media_dir / "agenticshop")
    with engine.begin() as connection:
        clear_catalog(connection)
        load_catalog(connection, data, embedder, progress=progress)
        cache.clear(connection)
    counts = {name: len(rows) for name, rows in data.rows.items()}
    return ImportReport(counts=counts, images_copied=copied, images_missing=missing)


def _localize_images(data: CatalogData, directory: Path, target: Path) -> tuple[int, int]:
    """Their image paths are relative to their backend folder (data/images/x.png): serve copies from
    /media, and show a placeholder for files that are not there. Web URLs stay as they are."""
    copied = missing = 0
    for rows, column in ((data["product_images.csv"], "url"), (data["users.csv"], "avatar_url")):
        for row in rows:
            url = row[column]
            if not url or url.startswith(("http://", "https://", "/")):
                continue
            source = _find_file(directory, url)
            if source is None:
                row[column] = PLACEHOLDER_IMAGE if column == "url" else None
                missing += 1
                continue
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / source.name)
            row[column] = f"/media/agenticshop/{source.name}"
            copied += 1
    return copied, missing


def _find_file(directory: Path, relative: str) -> Path | None:
    name = Path(relative).name
    for candidate in (directory / relative, directory.parent / relative, directory / "images" / name):
        if candidate.is_file():
            return candidate
    return None
