from django.apps import AppConfig


class RenewalsConfig(AppConfig):
    name = "membersuccess.renewals"
    verbose_name = "Renewals and expansion"
