"""`msm bench score` on a tiny synthetic association: the keys issue 4 asks for, and consistent counts."""

from __future__ import annotations

from membersuccess.engine.bench import run_bench


def test_bench_reports_the_keys_and_explains_every_scored_member(tmp_path):
    report = run_bench(members=300, events=6_000, work_dir=tmp_path, memory_limit="1GB")
    for key in ("members", "events", "engine", "features_s", "baseline_sql_s", "ratio", "score_total_s",
                "peak_rss_mb", "features_cpu_s", "baseline_sql_cpu_s", "score_total_cpu_s"):
        assert report[key] is not None, key
    assert report["memory_limit"] == "1GB"
    assert report["feature_rows"] == report["baseline_rows"] > 0
    assert report["explained"] == report["members_scored"] > 0
    assert report["score_total_s"] >= report["vectors_s"] + report["explain_s"]
    again = run_bench(members=300, events=6_000, work_dir=tmp_path)  # the generated data is reused
    assert again["generated_s"] == 0.0 and again["members_scored"] == report["members_scored"]
