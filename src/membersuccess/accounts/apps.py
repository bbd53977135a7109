from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "membersuccess.accounts"
    verbose_name = "Staff and audit"
