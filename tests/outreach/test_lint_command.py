"""`msm outreach lint FILE|-`: exit 0 when the draft passes, 1 with the reasons, 2 when it cannot be checked."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from typer.testing import CliRunner

from membersuccess.cli import app
from tests.factories import make_journey, make_member, make_milestone

runner = CliRunner()


def lint(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["outreach", "lint", *args], input=stdin)


def test_a_draft_with_a_link_passes_with_exit_0(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("The CE guide you asked about: https://example.org/ce-guide\n", encoding="utf-8")
    result = lint(str(draft))
    assert result.exit_code == 0, result.output
    assert "passes" in result.output and "https://example.org/ce-guide" in result.output


def test_just_checking_in_fails_with_exit_1_and_the_reasons(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Ada,\n\nJust checking in!\n", encoding="utf-8")
    result = lint(str(draft))
    assert result.exit_code == 1
    assert "“Just checking in” is an empty contact phrase" in result.output
    assert "Add at least one value item" in result.output


def test_dash_reads_the_draft_from_stdin():
    assert lint("-", stdin="touching base!").exit_code == 1
    assert lint("-", stdin="Register for the exam by 3 May.").exit_code == 0


def test_json_prints_one_document_and_keeps_the_exit_code():
    result = lint("-", "--json", stdin="Just following up")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["passes"] is False
    assert body["empty_phrases"][0]["text"] == "Just following up"
    assert set(body) == {"passes", "reasons", "value_items", "empty_phrases"}


def test_an_empty_draft_fails_with_a_clear_reason():
    result = lint("-", stdin="  \n")
    assert result.exit_code == 1
    assert "The draft is empty." in result.output


def test_a_missing_file_is_one_line_and_exit_2(tmp_path):
    result = lint(str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "cannot read" in result.output and "nope.txt" in result.output


def test_a_file_that_is_not_text_is_exit_2(tmp_path):
    draft = tmp_path / "draft.bin"
    draft.write_bytes(b"\xff\xfe\x00just checking in")
    result = lint(str(draft))
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.output


def test_a_draft_over_the_limit_is_exit_2():
    result = lint("-", stdin="a" * 20_001)
    assert result.exit_code == 2
    assert "at most 20,000" in result.output


@pytest.mark.django_db(transaction=True)
def test_with_a_member_naming_their_next_milestone_passes():
    journey = make_journey()
    make_milestone(journey=journey, order=1, name="Attend a chapter event")
    make_member(external_id="M-77", journey=journey, joined_on=date(2024, 1, 1))
    assert lint("-", "--member", "M-77", stdin="Just checking in").exit_code == 1
    result = lint("-", "--member", "M-77", stdin="Next up: attend a chapter event, the spring one is lovely.")
    assert result.exit_code == 0, result.output
    assert "next milestone" in result.output


@pytest.mark.django_db(transaction=True)
def test_an_unknown_member_is_one_line_and_exit_2():
    result = lint("-", "--member", "M-404", stdin="https://example.org")
    assert result.exit_code == 2
    assert "There is no member with id 'M-404'." in result.output


def test_the_installed_command_reads_stdin_and_sets_the_exit_code():
    command = [sys.executable, "-m", "membersuccess", "outreach", "lint", "-"]
    failed = subprocess.run(command, input="Circling back!", capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1, failed.stderr
    assert "empty contact phrase" in failed.stdout
    passed = subprocess.run(command, input="https://example.org/guide", capture_output=True, text=True, timeout=60)
    assert passed.returncode == 0, passed.stderr
