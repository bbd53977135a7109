"""`msm signals discover FILE --outcome COL`: the combined model's cross-validated AUC, and each input's
importance, direction and suggested weight, recovered from a table with planted effects."""

from __future__ import annotations

import csv
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from membersuccess.cli import app

runner = CliRunner()


def planted_table(rows: int = 500, seed: int = 3) -> dict[str, list]:
    """events_attended helps renewal strongly, open_tickets hurts, shoe_size is noise, chapter matters a little."""
    rng = np.random.default_rng(seed)
    events = rng.poisson(3, rows).astype(float)
    tickets = rng.poisson(1, rows).astype(float)
    shoe = rng.normal(42, 2, rows)
    chapter = rng.choice(["north", "south", "east"], rows)
    logit = 1.1 * (events - 3) - 1.2 * (tickets - 1) + 0.8 * (chapter == "north") + 0.5
    renewed = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    events_cells: list = [None if i % 12 == 0 else v for i, v in enumerate(events)]  # some missing
    return {
        "member_id": [f"M-{i}" for i in range(rows)],
        "events_attended": events_cells,
        "open_tickets": list(tickets),
        "shoe_size": [round(v, 1) for v in shoe],
        "chapter": list(chapter),
        "renewed": list(renewed),
    }


def write_csv(path, table: dict[str, list]):
    names = list(table)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in zip(*table.values(), strict=True):
            writer.writerow(["" if v is None else v for v in row])
    return path


def discover_json(path, *extra: str) -> dict:
    result = runner.invoke(app, ["signals", "discover", str(path), "--outcome", "renewed", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> dict:
    path = write_csv(tmp_path_factory.mktemp("discover") / "members.csv", planted_table())
    data = discover_json(path, "--id", "member_id")
    return {"data": data, "inputs": {i["name"]: i for i in data["inputs"]}}


def test_the_combined_model_predicts_well_out_of_sample(planted):
    assert planted["data"]["auc"] > 0.8
    assert len(planted["data"]["auc_folds"]) == 5
    assert planted["data"]["rows"] == 500


def test_a_strong_positive_input_is_found_with_its_direction(planted):
    events = planted["inputs"]["events_attended"]
    assert events["direction"] == "helps"
    assert events["importance"] > 0.05 and events["weight"] > 2


def test_a_negative_input_is_found_with_its_direction(planted):
    tickets = planted["inputs"]["open_tickets"]
    assert tickets["direction"] == "hurts"
    assert tickets["importance"] > 0.05 and tickets["weight"] > 2


def test_a_noise_column_gets_no_weight(planted):
    noise = planted["inputs"]["shoe_size"]
    assert noise["importance"] < 0.01
    assert noise["weight"] < 0.5
    assert noise["weight"] < planted["inputs"]["events_attended"]["weight"] / 5


def test_a_text_column_is_one_input_with_a_mixed_direction(planted):
    chapter = planted["inputs"]["chapter"]
    assert chapter["kind"] == "categorical" and chapter["direction"] == "mixed"
    assert chapter["importance"] > 0


def test_weights_share_ten_points_and_missing_cells_are_reported(planted):
    inputs = planted["inputs"]
    assert sum(i["weight"] for i in inputs.values()) == pytest.approx(10, abs=0.05)
    assert inputs["events_attended"]["missing_share"] == pytest.approx(42 / 500)
    assert "member_id" not in inputs and "renewed" not in inputs


def test_parquet_tables_are_read_with_their_types(tmp_path):
    table = planted_table(rows=300)
    path = tmp_path / "members.parquet"
    pq.write_table(pa.table(table), path)
    data = discover_json(path, "--id", "member_id")
    assert {i["name"] for i in data["inputs"]} == {"events_attended", "open_tickets", "shoe_size", "chapter"}
    assert data["auc"] > 0.75


def test_without_id_an_identifier_column_is_left_out_as_such(tmp_path):
    path = write_csv(tmp_path / "members.csv", planted_table(rows=200))
    result = runner.invoke(app, ["signals", "discover", str(path), "--outcome", "renewed", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "member_id" not in {i["name"] for i in data["inputs"]}
    assert any(reason.startswith("member_id: 200 different values") for reason in data["ignored"])


def test_the_table_output_lists_inputs_with_weights(tmp_path):
    path = write_csv(tmp_path / "members.csv", planted_table(rows=200))
    result = runner.invoke(app, ["signals", "discover", str(path), "--outcome", "renewed", "--id", "member_id"])
    assert result.exit_code == 0, result.output
    assert "cross-validated AUC of all inputs together" in result.output
    assert "events_attended" in result.output and "weights share 10 points" in result.output


def bad(tmp_path, text: str, *args: str):
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["signals", "discover", str(path), *args])
    assert result.exit_code == 2, result.output
    return " ".join(result.stderr.split())


def rows(outcomes: list[str]) -> str:
    return "id,events,renewed\n" + "".join(f"M{i},{i % 4},{o}\n" for i, o in enumerate(outcomes))


def test_a_constant_outcome_is_refused(tmp_path):
    message = bad(tmp_path, rows(["1"] * 20), "--outcome", "renewed")
    assert "the outcome 'renewed' is 1 on every row" in message


def test_a_non_binary_outcome_is_refused_with_its_line(tmp_path):
    message = bad(tmp_path, rows(["1", "0", "2", "1"] * 5), "--outcome", "renewed")
    assert "line 4, column 'renewed': '2' is not 0 or 1" in message


def test_an_empty_outcome_is_refused_with_its_line(tmp_path):
    message = bad(tmp_path, rows(["1", "0", "", "1"] * 5), "--outcome", "renewed")
    assert "line 4, column 'renewed': empty" in message


def test_too_few_of_one_outcome_to_cross_validate(tmp_path):
    message = bad(tmp_path, rows(["1"] * 18 + ["0"] * 2), "--outcome", "renewed")
    assert "only 2 rows of one kind" in message


def test_a_missing_outcome_column_names_the_columns_there_are(tmp_path):
    message = bad(tmp_path, rows(["1", "0"] * 10), "--outcome", "lapsed")
    assert "there is no outcome column 'lapsed' (columns: id, events, renewed)" in message


def test_a_missing_id_column_is_named(tmp_path):
    message = bad(tmp_path, rows(["1", "0"] * 10), "--outcome", "renewed", "--id", "member")
    assert "there is no id column 'member'" in message


def test_a_table_with_nothing_but_id_and_outcome_has_no_inputs(tmp_path):
    text = "id,renewed\n" + "".join(f"M{i},{i % 2}\n" for i in range(20))
    message = bad(tmp_path, text, "--outcome", "renewed", "--id", "id")
    assert "no column besides the outcome and the id can be used" in message


def test_a_malformed_row_names_its_line(tmp_path):
    message = bad(tmp_path, rows(["1", "0"] * 10) + "M99,1,0,extra\n", "--outcome", "renewed")
    assert "line 22" in message and "has 4 cells but the header has 3" in message
