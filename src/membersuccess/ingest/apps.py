from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "membersuccess.ingest"
    verbose_name = "Imports"
