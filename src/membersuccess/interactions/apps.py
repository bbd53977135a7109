from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "membersuccess.interactions"
    verbose_name = "Interactions"
