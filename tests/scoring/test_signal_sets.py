"""The signal configuration in force: versions, validation with named fields, and the audit trail."""

from __future__ import annotations

import pytest

from membersuccess.accounts.models import AuditEntry
from membersuccess.engine.signals import DEFAULT_CONFIG, SignalConfigError, config_to_dict
from membersuccess.scoring.models import SignalSet
from membersuccess.scoring.services import config_of, signal_set_active, signal_set_save
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db


def test_the_first_active_set_is_the_default_version_1():
    active = signal_set_active()
    assert active.version == 1 and active.is_active
    assert config_of(active) == DEFAULT_CONFIG
    assert signal_set_active() == active


def test_saving_makes_a_new_active_version_and_audits_it():
    signal_set_active()
    admin = make_staff_user(role="admin")
    definition = config_to_dict(DEFAULT_CONFIG)
    definition["signals"][0]["weight"] = 3.0
    saved = signal_set_save(definition=definition, created_by=admin, note="more weight on events")
    assert saved.version == 2 and saved.is_active
    assert SignalSet.objects.filter(is_active=True).get() == saved
    assert config_of(saved).signals[0].weight == 3.0
    entry = AuditEntry.objects.get(action="signal_set_saved")
    assert entry.actor == admin and entry.object_id == "2"


def test_an_invalid_set_names_the_signal_and_field_and_changes_nothing():
    signal_set_active()
    definition = config_to_dict(DEFAULT_CONFIG)
    definition["signals"][1]["window_days"] = 0
    with pytest.raises(SignalConfigError, match="signal 'ce_credits', field 'window_days'"):
        signal_set_save(definition=definition)
    assert SignalSet.objects.get(is_active=True).version == 1


def test_an_unknown_parameter_is_refused():
    definition = config_to_dict(DEFAULT_CONFIG)
    definition["params"]["low_bnad"] = 30
    with pytest.raises(SignalConfigError, match="low_bnad"):
        signal_set_save(definition=definition)
