"""Writes on renewals, one function per write, shared by the web pages, the API, the CLI and jobs."""

from __future__ import annotations

from membersuccess.renewals.plans import PlansRaised, raise_renewal_plans
from membersuccess.renewals.terms import NextTerm, record_lapse, record_renewal, record_return

__all__ = ["NextTerm", "PlansRaised", "raise_renewal_plans", "record_lapse", "record_renewal", "record_return"]
