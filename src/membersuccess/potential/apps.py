from django.apps import AppConfig


class PotentialConfig(AppConfig):
    name = "membersuccess.potential"
    verbose_name = "Success Potential: fit before members join"
