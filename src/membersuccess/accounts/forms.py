"""Sign-in forms that say plainly when a username is locked after too many failed attempts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import user_login_failed
from django.contrib.auth.forms import AuthenticationForm

from membersuccess.accounts.login_limits import LoginLocked, check_login_allowed


def _refuse_when_locked(form: AuthenticationForm) -> None:
    username = str(form.cleaned_data.get("username") or "")
    try:
        check_login_allowed(username=username, request=form.request)
    except LoginLocked as exc:
        user_login_failed.send(sender=type(form), credentials={"username": username}, request=form.request)
        raise forms.ValidationError(str(exc), code="locked") from exc


class LoginForm(AuthenticationForm):
    """The staff sign-in form."""

    def clean(self) -> dict[str, Any]:
        _refuse_when_locked(self)
        return super().clean()


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, with the same limit and message."""

    def clean(self) -> dict[str, Any]:
        _refuse_when_locked(self)
        return super().clean()
