from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "membersuccess.members"
    verbose_name = "Members"
