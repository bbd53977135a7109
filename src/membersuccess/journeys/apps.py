from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "membersuccess.journeys"
    verbose_name = "Journeys and milestones"
