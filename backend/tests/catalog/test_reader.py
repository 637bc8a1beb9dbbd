"""The AgenticShop-layout reader: both published layouts, real-export quirks accepted, every problem named
with the folder's own file name and line."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from agentic_shop.catalog.reader import AZURE_SAMPLES, TECHNOFOCUS, CatalogFormatError, read_catalog
from tests.conftest import AGENTICSHOP_FIXTURE, FIXTURES

# The same catalog as AGENTICSHOP_FIXTURE (the technofocus-pte layout), in the Azure-Samples layout.
AZURE_FIXTURE = FIXTURES / "agenticshop-azure"


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(AGENTICSHOP_FIXTURE, target)
    return target


@pytest.fixture
def azure_dir(tmp_path: Path) -> Path:
    target = tmp_path / "azure"
    shutil.copytree(AZURE_FIXTURE, target)
    return target


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_reads_the_agenticshop_layout_with_its_quirks():
    data = read_catalog(AGENTICSHOP_FIXTURE)
    assert {name: len(rows) for name, rows in data.rows.items()} == {
        "users.csv": 3,
        "products.csv": 5,
        "features.csv": 6,
        "product_features.csv": 11,
        "product_reviews.csv": 12,
        "product_images.csv": 6,
        "variants.csv": 8,
        "variant_attributes.csv": 14,
    }
    # Python-literal lists in features.csv, JSON lists in users.csv.
    assert all(isinstance(f["categories"], list) and f["categories"] for f in data["features.csv"])
    assert all(isinstance(u["preferences"], list) and u["preferences"] for u in data["users.csv"])
    # "5.00" ratings, empty feature/sentiment cells, a bare integer price.
    reviews = data["product_reviews.csv"]
    assert {r["rating"] for r in reviews} <= {1, 2, 3, 4, 5}
    assert any(r["feature_id"] is None and r["sentiment"] is None for r in reviews)
    assert any(p["price"] == Decimal("129.00") for p in data["products.csv"])
    # in_stock is a count in their export.
    assert any(v["in_stock"] == 0 for v in data["variants.csv"])
    # Multi-line specifications JSON parsed to an object.
    assert all(isinstance(p["specifications"], dict) for p in data["products.csv"])


def test_both_published_layouts_read_to_the_same_rows():
    # Singular file names, `review_text`, unquoted names and ratings such as "4", feature_name repeated
    # in product_features.csv: none of it shows in the rows.
    technofocus, azure = read_catalog(AGENTICSHOP_FIXTURE), read_catalog(AZURE_FIXTURE)
    assert (technofocus.layout, azure.layout) == (TECHNOFOCUS, AZURE_SAMPLES)
    assert azure.rows == technofocus.rows
    assert AZURE_SAMPLES.describe() == "product.csv, review.csv (review_text), product_image.csv"


def test_problems_are_named_with_the_folders_own_file_names(azure_dir: Path):
    with (azure_dir / "review.csv").open("a") as handle:
        handle.write("13,4242,Zed,Great,5.00,,\n14,1,Zed,Great,seven,,\n")
    with pytest.raises(CatalogFormatError) as error:
        read_catalog(azure_dir)
    assert str(error.value).splitlines() == [
        "review.csv line 15: column 'rating' 'seven' is not a rating from 1 to 5"
    ]
    _rewrite(azure_dir / "review.csv", "14,1,Zed,Great,seven", "14,1,Zed,Great,5")
    with pytest.raises(
        CatalogFormatError, match=r"review\.csv line 14: product_id 4242 not found in product\.csv"
    ):
        read_catalog(azure_dir)


def test_each_layout_keeps_its_own_column_names(azure_dir: Path):
    _rewrite(azure_dir / "review.csv", '"review_text"', '"review"')
    with pytest.raises(CatalogFormatError, match=r"review\.csv: missing column 'review_text'"):
        read_catalog(azure_dir)


def test_a_missing_file_is_named_in_the_layout_the_folder_is_closest_to(azure_dir: Path):
    (azure_dir / "review.csv").unlink()
    with pytest.raises(CatalogFormatError) as error:
        read_catalog(azure_dir)
    assert str(error.value).endswith("missing file review.csv (Azure-Samples/postgres-agentic-shop layout)")


def test_a_folder_with_both_layouts_is_refused(catalog_dir: Path):
    for name in AZURE_SAMPLES.files.values():
        shutil.copyfile(AZURE_FIXTURE / name, catalog_dir / name)
    with pytest.raises(CatalogFormatError, match="has the files of two layouts"):
        read_catalog(catalog_dir)


def test_descriptions_are_sanitized(catalog_dir: Path):
    _rewrite(catalog_dir / "products.csv", "<h3>", "<script>alert(1)</script><h3 onclick='x()'>")
    html = " ".join(p["description_html"] for p in read_catalog(catalog_dir)["products.csv"])
    assert "<script" not in html and "onclick" not in html and "alert(1)" not in html


def test_missing_file_is_named(catalog_dir: Path):
    (catalog_dir / "variants.csv").unlink()
    with pytest.raises(CatalogFormatError, match=r"missing file variants\.csv"):
        read_catalog(catalog_dir)


def test_missing_column_is_named(catalog_dir: Path):
    _rewrite(catalog_dir / "product_images.csv", "image_url", "picture")
    with pytest.raises(CatalogFormatError, match=r"product_images\.csv: missing column 'image_url'"):
        read_catalog(catalog_dir)


def test_bad_row_is_reported_with_its_line_number(catalog_dir: Path):
    lines = (catalog_dir / "variants.csv").read_text().splitlines()
    fields = lines[3].split(",")
    fields[2] = "cheap"  # the price of the third data row (line 4)
    lines[3] = ",".join(fields)
    (catalog_dir / "variants.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(CatalogFormatError) as error:
        read_catalog(catalog_dir)
    assert "variants.csv line 4: column 'price' 'cheap' is not a price" in str(error.value)


def test_dangling_reference_is_reported(catalog_dir: Path):
    with (catalog_dir / "product_features.csv").open("a") as handle:
        handle.write("999,4242,1\n")
    with pytest.raises(
        CatalogFormatError, match=r"product_features\.csv line \d+: product_id 4242 not found"
    ):
        read_catalog(catalog_dir)


def test_duplicate_ids_are_rejected(catalog_dir: Path):
    first_row = (catalog_dir / "features.csv").read_text().splitlines()[1]
    with (catalog_dir / "features.csv").open("a") as handle:
        handle.write(first_row + "\n")
    with pytest.raises(CatalogFormatError, match=r"features\.csv line \d+: duplicate id"):
        read_catalog(catalog_dir)


def test_bom_and_quoted_headers_are_accepted(catalog_dir: Path):
    path = catalog_dir / "product_images.csv"
    lines = path.read_text().splitlines()
    lines[0] = ",".join(f'"{h}"' for h in lines[0].split(","))
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    assert len(read_catalog(catalog_dir)["product_images.csv"]) == 6


def test_not_a_folder():
    with pytest.raises(CatalogFormatError, match="not a folder"):
        read_catalog(Path("/nonexistent/catalog"))
