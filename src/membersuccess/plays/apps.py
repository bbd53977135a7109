from django.apps import AppConfig


class PlaysConfig(AppConfig):
    name = "membersuccess.plays"
    verbose_name = "Plays and tasks"
