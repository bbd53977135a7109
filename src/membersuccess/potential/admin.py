from django.contrib import admin

from membersuccess.potential.models import Applicant, DeclaredAttribute, FitCriterion, FitModel


@admin.register(DeclaredAttribute)
class DeclaredAttributeAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "kind"]


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = [
        "name", "external_id", "required_outcome", "acquisition_channel", "campaign", "status", "applied_on"
    ]
    list_filter = ["status", "acquisition_channel"]
    search_fields = ["name", "external_id", "email"]
    raw_id_fields = ["member"]


@admin.register(FitCriterion)
class FitCriterionAdmin(admin.ModelAdmin):
    list_display = ["kind", "effect", "is_active"]


@admin.register(FitModel)
class FitModelAdmin(admin.ModelAdmin):
    list_display = ["trained_at", "as_of", "cv_auc", "members_used"]
    readonly_fields = [f.name for f in FitModel._meta.fields]
