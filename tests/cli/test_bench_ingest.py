"""`msm bench ingest --json`: the three ingest rates measured on real imports and real HTTP posts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from membersuccess.api.models import ApiToken
from membersuccess.cli import app
from membersuccess.interactions.models import Interaction
from membersuccess.members.models import Member

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_ingest_prints_rates_for_parquet_csv_and_the_api_and_cleans_up(tmp_path):
    result = CliRunner().invoke(
        app,
        ["bench", "ingest", "--members", "30", "--events", "400", "--api-events", "250", "--json",
         "--data-dir", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["database"] in {"sqlite", "postgresql"}
    assert (figures["members"], figures["events"], figures["api_events"]) == (30, 400, 250)
    for key in ("parquet_rows_per_s", "csv_rows_per_s", "api_events_per_s", "peak_rss_mb"):
        assert figures[key] > 0, key
    for key in ("parquet_cpu_s", "csv_cpu_s", "api_cpu_s"):
        assert figures[key] >= 0, key
    # Every posted and imported row was stored (the bench checks), then removed again.
    assert Interaction.objects.filter(source__startswith="bench-").count() == 0
    assert Member.objects.filter(external_id__startswith="BENCH-").count() == 30
    assert ApiToken.objects.get(name="msm bench ingest").revoked_at is not None


def test_bench_ingest_can_keep_its_rows(tmp_path):
    result = CliRunner().invoke(
        app,
        ["bench", "ingest", "--members", "5", "--events", "50", "--api-events", "20", "--keep", "--json",
         "--data-dir", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert Interaction.objects.filter(source__startswith="bench-").count() == 50 + 50 + 20


def test_bench_ingest_measures_only_the_ways_asked_for(tmp_path):
    result = CliRunner().invoke(
        app,
        ["bench", "ingest", "--members", "5", "--events", "40", "--ways", "csv", "--json", "--data-dir", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["csv_rows_per_s"] > 0
    assert figures["parquet_rows_per_s"] is None and figures["api_events_per_s"] is None
    assert figures["csv_cpu_s"] >= 0 and figures["parquet_cpu_s"] is None and figures["api_cpu_s"] is None


def test_bench_ingest_refuses_an_unknown_way(tmp_path):
    result = CliRunner().invoke(app, ["bench", "ingest", "--ways", "fax", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "unknown way(s) fax" in str(result.exception)
