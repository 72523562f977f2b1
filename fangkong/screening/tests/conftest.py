from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """The self-report rate limit counts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
