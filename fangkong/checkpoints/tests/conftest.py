from __future__ import annotations

import pytest

from conftest import make_user
from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.tests.helpers import create_checkpoint, staff_user


@pytest.fixture
def kakou(district) -> User:
    return staff_user("kakou", district.township_a)


@pytest.fixture
def checkpoint(district, cadre_a, kakou) -> Checkpoint:
    return create_checkpoint(cadre_a, district.township_a, staff=[kakou])


@pytest.fixture
def inspector(district) -> User:
    return make_user("ducha", Role.INSPECTOR, district.county)
