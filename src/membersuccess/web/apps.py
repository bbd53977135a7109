from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "membersuccess.web"
    verbose_name = "Web"
