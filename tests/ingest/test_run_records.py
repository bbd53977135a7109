"""The import record: a run whose process died is marked interrupted; failures carry their run."""

from __future__ import annotations

import os
import socket

import pytest

from membersuccess.ingest.errors import ImportFileError
from membersuccess.ingest.models import ImportRun
from membersuccess.ingest.services import mark_interrupted_runs, run_import

from .conftest import rejects_of

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    pid = 2**22 - 7  # above the kernel's default pid range
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    return pid


def test_runs_of_dead_processes_on_this_machine_are_marked_interrupted():
    here = socket.gethostname()
    dead = ImportRun.objects.create(kind="members", file_name="a.csv", host=here, pid=_dead_pid())
    alive = ImportRun.objects.create(kind="members", file_name="b.csv", host=here, pid=os.getpid())
    elsewhere = ImportRun.objects.create(kind="members", file_name="c.csv", host="another-host", pid=_dead_pid())

    assert mark_interrupted_runs() == 1

    dead.refresh_from_db()
    assert (dead.status, dead.error.split(":")[0]) == (ImportRun.Status.FAILED, "interrupted")
    assert ImportRun.objects.get(pk=alive.pk).status == ImportRun.Status.RUNNING
    assert ImportRun.objects.get(pk=elsewhere.pk).status == ImportRun.Status.RUNNING


def test_a_file_that_cannot_be_imported_names_its_failed_run(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("")
    with pytest.raises(ImportFileError) as caught:
        run_import(kind="members", path=path)
    run = ImportRun.objects.get(pk=caught.value.run_id)
    assert (run.status, run.error) == (ImportRun.Status.FAILED, "the file is empty")


def test_the_rejects_file_guards_labels_and_reasons_from_the_file_too(tmp_path, two_members):
    path = tmp_path / "members.csv"
    path.write_text("external_id,name,joined_on,=HYPERLINK(\"x\")\nM-9,Ada,not a date,1\n")
    result = run_import(kind="members", path=path)
    header = result.rejects_path.read_text().splitlines()[0]
    assert "'=HYPERLINK" in header
    (reject,) = rejects_of(result)
    assert reject["_column"] == "joined_on"
