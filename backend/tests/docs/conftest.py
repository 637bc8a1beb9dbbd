from collections.abc import Iterator

import pytest

from tests.docs.shop import DocsShop


@pytest.fixture(scope="session")
def docs_shop(tmp_path_factory) -> Iterator[DocsShop]:
    """The shop a newcomer has after the setup chapter: its own database, migrated, seeded, serving."""
    shop = DocsShop.start(tmp_path_factory.mktemp("docs-shop"))
    yield shop
    shop.stop()
