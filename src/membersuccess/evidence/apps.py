from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "membersuccess.evidence"
    verbose_name = "Evidence: backtests, signal discovery and retention models"
