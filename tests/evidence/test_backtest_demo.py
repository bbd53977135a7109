"""On the demo association the Success Vector predicts renewal better than usage or NPS alone: the demo
samples renewals from milestone attainment strongly, activity weakly and happiness barely."""

from __future__ import annotations

from datetime import timedelta

import pytest

from membersuccess.demo.services import build_demo
from membersuccess.evidence.backtest import backtest
from tests.demo.conftest import AS_OF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fast_password_hasher")]


@pytest.fixture
def _fast_password_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_vector_beats_usage_only_and_nps_only_a_year_before_the_demo_date(settings):
    build_demo(members=700, seed=7, data_dir=settings.DATA_DIR, as_of=AS_OF)
    result = backtest(as_of=AS_OF - timedelta(days=365), horizon_days=365)
    baselines = {b.name: b for b in result.baselines}
    assert result.members > 200
    assert result.auc > baselines["usage_only"].auc
    assert result.auc > baselines["nps_only"].auc
    print(result.to_json())
