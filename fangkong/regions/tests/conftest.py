from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """People counts per unit are kept in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()
