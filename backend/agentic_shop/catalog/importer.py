"""`shop data import-agenticshop DIR`: replace the catalog and the shoppers with the public AgenticShop
workshop data, in either of its layouts.

The whole folder is validated first; then, in one transaction, the old catalog and shoppers are
removed with everything kept about those shoppers, the new ones loaded with embeddings, the new
shoppers' preferences seeded into their memories, and the agents' cache emptied. Any error leaves the
database exactly as it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from agentic_shop.agents import cache
from agentic_shop.catalog.loader import clear_catalog, load_catalog
from agentic_shop.catalog.reader import CatalogData, Layout, read_catalog
from agentic_shop.embeddings import Embedder
from agentic_shop.services import shoppers

PLACEHOLDER_IMAGE = "/static/img/placeholder.svg"


@dataclass(frozen=True)
class ImportReport:
    layout: Layout
    counts: dict[str, int]  # rows per file, under the folder's own file names
    images_copied: int
    images_missing: int
    memories_removed: int  # everything the previous shoppers had
    memories_seeded: int  # the new shoppers', from their preferences


def import_agenticshop(
    directory: Path, engine: Engine, embedder: Embedder, media_dir: Path, progress: bool = True
) -> ImportReport:
    data = read_catalog(directory)
    copied, missing = _localize_images(data, Path(directory), media_dir / "agenticshop")
    with engine.begin() as connection:
        clear_catalog(connection)
        load_catalog(connection, data, embedder, progress=progress)
        removed = shoppers.forget_all_shoppers(connection)
        seeded = shoppers.seed_memories(connection, data["users.csv"])
        cache.clear(connection)
    return ImportReport(
        layout=data.layout,
        counts={data.layout.file(name): len(rows) for name, rows in data.rows.items()},
        images_copied=copied,
        images_missing=missing,
        memories_removed=removed,
        memories_seeded=seeded,
    )


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
