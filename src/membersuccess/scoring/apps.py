from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "membersuccess.scoring"
    verbose_name = "Success Vector scoring"
