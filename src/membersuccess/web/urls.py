"""URLs of the web pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

import membersuccess.web.plays_views as plays_views
import membersuccess.web.potential_views as potential_views
import membersuccess.web.privacy_views as privacy_views
import membersuccess.web.report_views as report_views
from membersuccess.web import imports, journey_views, portfolio_views, renewal_views, signal_views, views

urlpatterns = [
    path("login/", views.MemberSuccessLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("members/<int:pk>/tasks/new/", plays_views.member_task_new, name="member_task_new"),
    path("members/<int:pk>/plays/<int:play_pk>/start/", plays_views.member_play_start, name="member_play_start"),
    path("members/<int:pk>/saves/new/", plays_views.member_save_new, name="member_save_new"),
    path("members/<int:pk>/outreach/", plays_views.member_outreach, name="member_outreach"),
    path("plays/", plays_views.plays, name="plays"),
    path("plays/new/", plays_views.play_edit, name="play_new"),
    path("plays/<int:pk>/", plays_views.play, name="play"),
    path("plays/<int:pk>/edit/", plays_views.play_edit, name="play_edit"),
    path("saves/", plays_views.saves, name="saves"),
    path("tasks/", plays_views.tasks, name="tasks"),
    path("tasks/team/", plays_views.tasks_team, name="tasks_team"),
    path("tasks/<int:pk>/", plays_views.task, name="task"),
    path("members/<int:pk>/journey/", journey_views.member_journey, name="member_journey"),
    path("members/<int:pk>/desired-outcome/", journey_views.member_desired_outcome, name="member_desired_outcome"),
    path(
        "members/<int:pk>/milestones/<int:milestone_pk>/confirm/",
        journey_views.member_milestone_confirm,
        name="member_milestone_confirm",
    ),
    path("journeys/", journey_views.journeys, name="journeys"),
    path("journeys/new/", journey_views.journey_new, name="journey_new"),
    path("journeys/<int:pk>/", journey_views.journey, name="journey"),
    path("journeys/<int:pk>/edit/", journey_views.journey_edit, name="journey_edit"),
    path("journeys/<int:pk>/milestones/new/", journey_views.milestone_new, name="milestone_new"),
    path("journeys/milestones/<int:pk>/edit/", journey_views.milestone_edit, name="milestone_edit"),
    path("journeys/milestones/<int:pk>/move/", journey_views.milestone_move_view, name="milestone_move"),
    path("journeys/milestones/<int:pk>/remove/", journey_views.milestone_remove_view, name="milestone_remove"),
    path("portfolio/", portfolio_views.dashboard, name="dashboard"),
    path("signals/", signal_views.signals, name="signals"),
    path("signals/edit/", signal_views.signals_edit, name="signals_edit"),
    path("signals/import/", signal_views.signals_import, name="signals_import"),
    path("signals/versions/<int:version>/", signal_views.signals_version, name="signals_version"),
    path("signals/versions/<int:version>/export/", signal_views.signals_export, name="signals_export"),
    path("signals/versions/<int:version>/restore/", signal_views.signals_restore, name="signals_restore"),
    path("imports/", imports.imports, name="imports"),
    path("imports/history/", imports.import_history, name="import_history"),
    path("imports/<int:pk>/", imports.import_run, name="import_run"),
    path("imports/<int:pk>/rejects.csv", imports.import_rejects, name="import_rejects"),
    path("imports/mappings/", imports.mappings, name="import_mappings"),
    path("imports/mappings/new/", imports.mapping_new, name="import_mapping_new"),
    path("imports/mappings/<int:pk>/", imports.mapping_edit, name="import_mapping_edit"),
    path("imports/mappings/<int:pk>/delete/", imports.mapping_delete, name="import_mapping_delete"),
    path("potential/", potential_views.applicants, name="potential_applicants"),
    path("potential/new/", potential_views.applicant_new, name="potential_applicant_new"),
    path("potential/criteria/", potential_views.criteria, name="potential_criteria"),
    path("potential/criteria/add/", potential_views.criterion_add, name="potential_criterion_add"),
    path("potential/criteria/<int:pk>/toggle/", potential_views.criterion_toggle, name="potential_criterion_toggle"),
    path("potential/train/", potential_views.train, name="potential_train"),
    path("potential/report/", potential_views.report, name="potential_report"),
    path("renewals/", renewal_views.pipeline, name="renewals"),
    path("renewals/pipeline.csv", renewal_views.pipeline_csv, name="renewals_csv"),
    path("renewals/expansion/", renewal_views.expansion, name="renewals_expansion"),
    path("renewals/retention/", renewal_views.retention_page, name="renewals_retention"),
    path("members/<int:pk>/renewal/", renewal_views.member_renewal_record, name="member_renewal_record"),
    path("report/", report_views.executive_report_page, name="report"),
    path("report/executive.pdf", report_views.executive_report_pdf, name="report_pdf"),
    path("members/<int:pk>/data.json", privacy_views.member_data_export_view, name="member_data_export"),
    path("members/<int:pk>/erase/", privacy_views.member_erase_view, name="member_erase"),
]
