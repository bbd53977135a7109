from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "membersuccess.accounts"
    verbose_name = "Staff and audit"

    def ready(self) -> None:
        # Connects the sign-in, sign-out and failed sign-in receivers that write the audit log.
        from membersuccess.accounts import login_limits  # noqa: F401

