"""The column mapping pages: an admin writes, for each of our columns, the label their export uses."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client

from membersuccess.accounts.models import Role
from membersuccess.ingest.mappings import column_mapping_save
from membersuccess.ingest.models import ColumnMapping
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

RAISERS_EDGE = {"external_id": "Constituent Code", "name": "Display Name", "joined_on": "Member Since Date"}


@pytest.fixture
def admin(db) -> User:
    return make_staff_user(role=Role.ADMIN, username="ines")


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_data(name: str, labels: dict[str, str]) -> dict[str, str]:
    return {"name": name, **{f"label_{column}": label for column, label in labels.items()}}


def test_the_new_mapping_form_has_a_field_for_each_of_our_columns(admin_client):
    page = text(admin_client.get("/imports/mappings/new/?kind=memberships"))
    for column in ["external_id", "member_id", "start_on", "end_on", "offering", "dues", "status"]:
        assert f'name="label_{column}"' in page
    assert "Required. Without a label, found as: member_id, member, member external id" in page


def test_a_new_mapping_without_a_valid_kind_goes_back_to_the_list(admin_client):
    response = admin_client.get("/imports/mappings/new/?kind=donations")
    assert response.status_code == 302
    assert response["Location"] == "/imports/mappings/"


def test_an_admin_saves_a_mapping_and_sees_it_listed(admin_client, admin):
    response = admin_client.post("/imports/mappings/new/?kind=members", form_data("Raiser's Edge", RAISERS_EDGE))
    assert response.status_code == 302
    saved = ColumnMapping.objects.get()
    assert (saved.kind, saved.name, saved.created_by) == ("members", "Raiser's Edge", admin)
    assert saved.mapping == {
        "Constituent Code": "external_id", "Display Name": "name", "Member Since Date": "joined_on",
    }
    page = text(admin_client.get("/imports/mappings/"))
    assert "Saved the members mapping “Raiser's Edge”." in page
    assert "Constituent Code → external_id" in page.replace("<code>", "").replace("</code>", "")


def test_a_required_column_without_a_label_is_shown_next_to_that_column(admin_client):
    labels = {"external_id": "Constituent Code", "name": "Display Name"}
    response = admin_client.post("/imports/mappings/new/?kind=members", form_data("Half", labels))
    assert response.status_code == 400
    page = text(response)
    assert "The mapping was not saved" in page
    assert (
        "joined_on is required: give the label your export uses for it (joined_on itself if the file already says so)."
        in page
    )
    assert not ColumnMapping.objects.exists()


def test_the_same_label_for_two_columns_is_refused(admin_client):
    labels = {**RAISERS_EDGE, "email": "display name"}
    response = admin_client.post("/imports/mappings/new/?kind=members", form_data("Twice", labels))
    assert response.status_code == 400
    assert (
        "The label 'display name' is already given for name (as 'Display Name'; case, spaces, - and _ do not count); "
        "one label can feed only one column." in text(response)
    )
    assert not ColumnMapping.objects.exists()


def test_a_mapping_needs_a_name(admin_client):
    response = admin_client.post("/imports/mappings/new/?kind=members", form_data("", RAISERS_EDGE))
    assert response.status_code == 400
    assert "Give the mapping a name, e.g. the system the export comes from." in text(response)


def test_an_empty_post_is_refused_with_what_is_missing(admin_client):
    page = text(admin_client.post("/imports/mappings/new/?kind=members", {}))
    assert "Give the mapping a name" in page
    assert "external_id is required" in page
    assert not ColumnMapping.objects.exists()


def test_a_name_already_used_for_the_kind_is_refused(admin_client):
    column_mapping_save(kind="members", name="AMS", labels=RAISERS_EDGE)
    response = admin_client.post("/imports/mappings/new/?kind=members", form_data("AMS", RAISERS_EDGE))
    assert response.status_code == 400
    assert "A members mapping named 'AMS' already exists; choose another name or edit that one." in text(response)
    assert ColumnMapping.objects.count() == 1


def test_editing_shows_the_labels_and_saves_changes(admin_client):
    mapping = column_mapping_save(kind="members", name="AMS", labels=RAISERS_EDGE)
    page = text(admin_client.get(f"/imports/mappings/{mapping.pk}/"))
    assert 'name="label_external_id" value="Constituent Code"' in page
    changed = {**RAISERS_EDGE, "email": "E-mail Address"}
    response = admin_client.post(f"/imports/mappings/{mapping.pk}/", form_data("AMS 2024", changed))
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.name == "AMS 2024"
    assert mapping.mapping["E-mail Address"] == "email"


def test_an_invalid_edit_changes_nothing(admin_client):
    mapping = column_mapping_save(kind="members", name="AMS", labels=RAISERS_EDGE)
    response = admin_client.post(f"/imports/mappings/{mapping.pk}/", form_data("AMS", {"external_id": "Code"}))
    assert response.status_code == 400
    mapping.refresh_from_db()
    assert mapping.mapping["Constituent Code"] == "external_id"


def test_deleting_a_mapping_needs_a_post(admin_client):
    mapping = column_mapping_save(kind="members", name="AMS", labels=RAISERS_EDGE)
    assert admin_client.get(f"/imports/mappings/{mapping.pk}/delete/").status_code == 405
    response = admin_client.post(f"/imports/mappings/{mapping.pk}/delete/")
    assert response.status_code == 302
    assert not ColumnMapping.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE])
def test_no_one_but_an_admin_may_change_or_delete_a_mapping(role):
    mapping = column_mapping_save(kind="members", name="AMS", labels=RAISERS_EDGE)
    client = Client()
    client.force_login(make_staff_user(role=role))
    assert client.get(f"/imports/mappings/{mapping.pk}/").status_code == 403
    assert client.post(f"/imports/mappings/{mapping.pk}/", form_data("Hijacked", RAISERS_EDGE)).status_code == 403
    assert client.post(f"/imports/mappings/{mapping.pk}/delete/").status_code == 403
    assert client.post("/imports/mappings/new/?kind=members", form_data("New", RAISERS_EDGE)).status_code == 403
    mapping.refresh_from_db()
    assert mapping.name == "AMS"
    assert ColumnMapping.objects.count() == 1


def test_the_django_admin_checks_a_mapping_the_same_way(admin_client):
    response = admin_client.post(
        "/admin/ingest/columnmapping/add/",
        {"name": "Raw", "kind": "members", "mapping": '{"Constituent Code": "constituent"}'},
    )
    assert response.status_code == 200
    page = text(response)
    assert "'constituent' (for the label 'Constituent Code') is not a column of members files" in page
    assert not ColumnMapping.objects.exists()
    response = admin_client.post(
        "/admin/ingest/columnmapping/add/",
        {"name": "Raw", "kind": "members",
         "mapping": '{"Constituent Code": "external_id", "Display Name": "name", "Since": "joined_on"}'},
    )
    assert response.status_code == 302
    assert ColumnMapping.objects.get().mapping["Since"] == "joined_on"
