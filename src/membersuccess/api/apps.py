from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "membersuccess.api"
    verbose_name = "REST API"
