from django.contrib import admin

from core.admin import RuleCarryingAdmin, RuleCarryingInline

from . import models


class LegalBasisInline(RuleCarryingInline, admin.TabularInline):
    model = models.LegalBasis
    extra = 0


@admin.register(models.Programme)
class ProgrammeAdmin(RuleCarryingAdmin):
    list_display = ["title", "number", "signed_on", "valid_from", "valid_to", "renewal_of", "version"]
    search_fields = ["title__unaccent", "number"]
    filter_horizontal = ["parties"]
    raw_id_fields = ["renewal_of"]
    readonly_fields = ["version"]
    inlines = [LegalBasisInline]


@admin.register(models.LegalBasis)
class LegalBasisAdmin(RuleCarryingAdmin):
    list_display = ["kind", "number", "issued_on", "issuer", "programme"]
    search_fields = ["number", "title__unaccent"]
    list_select_related = ["programme"]


@admin.register(models.Commitment)
class CommitmentAdmin(RuleCarryingAdmin):
    list_display = ["code", "programme", "lead_side", "heading", "position"]
    list_filter = ["programme", "lead_side", "section"]
    search_fields = ["code", "text__unaccent"]
    list_select_related = ["programme"]
    raw_id_fields = ["copied_from"]

    # A commitment changes only through an amendment agreed by both Directors (VII), so
    # the admin shows commitments and amendments read-only, to superusers too.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ProgrammeAmendment)
class ProgrammeAmendmentAdmin(RuleCarryingAdmin):
    list_display = ["new_code", "programme", "status", "version", "created_at", "applied_at"]
    list_filter = ["status"]
    search_fields = ["new_code", "reason__unaccent"]
    raw_id_fields = ["commitment", "proposed_by", "agreed_docst_by", "agreed_doet_by", "returned_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanDecisionInline(RuleCarryingInline, admin.TabularInline):
    model = models.PlanDecision
    extra = 0
    raw_id_fields = ["decided_by", "department"]


@admin.register(models.AnnualPlan)
class AnnualPlanAdmin(RuleCarryingAdmin):
    list_display = ["title", "year", "revision", "status", "submitted_at", "in_force_at"]
    list_filter = ["status", "year"]
    search_fields = ["title__unaccent"]
    raw_id_fields = ["revision_of", "created_by", "closing_meeting"]
    inlines = [PlanDecisionInline]


@admin.register(models.PlanDecision)
class PlanDecisionAdmin(RuleCarryingAdmin):
    list_display = ["plan", "department", "submission_round", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["plan", "department", "decided_by"]


@admin.register(models.PlanActivity)
class PlanActivityAdmin(RuleCarryingAdmin):
    list_display = ["title", "plan", "lead_unit", "start_date", "end_date", "funding_side", "status"]
    list_filter = ["status", "funding_side", "plan__year"]
    search_fields = ["title__unaccent"]
    list_select_related = ["plan", "lead_unit"]
    raw_id_fields = ["plan", "lead_unit", "revision_of"]
    filter_horizontal = ["commitments", "partner_units"]


class ProgressEvidenceInline(RuleCarryingInline, admin.TabularInline):
    model = models.ProgressEvidence
    extra = 0


@admin.register(models.ActivityProgress)
class ActivityProgressAdmin(RuleCarryingAdmin):
    list_display = ["activity", "reported_on", "percent", "achieved_value", "author"]
    list_select_related = ["activity", "author"]
    raw_id_fields = ["activity", "author"]
    inlines = [ProgressEvidenceInline]


@admin.register(models.ProgressEvidence)
class ProgressEvidenceAdmin(RuleCarryingAdmin):
    list_display = ["title", "progress"]
    raw_id_fields = ["progress"]


class LocalActivityInline(RuleCarryingInline, admin.TabularInline):
    model = models.LocalActivity
    extra = 0
    raw_id_fields = ["provincial_activity"]


@admin.register(models.LocalPlan)
class LocalPlanAdmin(RuleCarryingAdmin):
    list_display = ["title", "organisation", "plan", "status", "submitted_at"]
    list_filter = ["status", "organisation__district"]
    search_fields = ["title__unaccent", "organisation__name__unaccent"]
    list_select_related = ["organisation", "plan"]
    raw_id_fields = ["plan", "organisation", "created_by"]
    inlines = [LocalActivityInline]


@admin.register(models.LocalActivity)
class LocalActivityAdmin(RuleCarryingAdmin):
    list_display = ["title", "local_plan", "percent", "start_date", "end_date"]
    search_fields = ["title__unaccent"]
    raw_id_fields = ["local_plan", "provincial_activity"]


class ActionItemInline(RuleCarryingInline, admin.TabularInline):
    model = models.ActionItem
    extra = 0
    raw_id_fields = ["owner", "owner_organisation"]


@admin.register(models.Meeting)
class MeetingAdmin(RuleCarryingAdmin):
    list_display = ["title", "kind", "starts_at", "location", "cancelled"]
    list_filter = ["kind", "cancelled"]
    search_fields = ["title__unaccent", "location__unaccent"]
    filter_horizontal = ["participant_organisations", "participants"]
    raw_id_fields = ["created_by"]
    inlines = [ActionItemInline]


@admin.register(models.ActionItem)
class ActionItemAdmin(RuleCarryingAdmin):
    list_display = ["description", "meeting", "owner_organisation", "owner", "due_date", "done"]
    list_filter = ["done"]
    search_fields = ["description__unaccent"]
    list_select_related = ["meeting", "owner_organisation", "owner"]
    raw_id_fields = ["meeting", "owner", "owner_organisation"]


class RecommendationInline(RuleCarryingInline, admin.TabularInline):
    model = models.Recommendation
    extra = 0
    raw_id_fields = ["owner_organisation"]


@admin.register(models.Inspection)
class InspectionAdmin(RuleCarryingAdmin):
    list_display = ["title", "kind", "date", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["title__unaccent"]
    filter_horizontal = ["places"]
    raw_id_fields = ["created_by"]
    inlines = [RecommendationInline]


@admin.register(models.Recommendation)
class RecommendationAdmin(RuleCarryingAdmin):
    list_display = ["text", "inspection", "owner_organisation", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["text__unaccent"]
    raw_id_fields = ["inspection", "owner_organisation"]


@admin.register(models.Proposal)
class ProposalAdmin(RuleCarryingAdmin):
    list_display = ["title", "kind", "addressee", "sent_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title__unaccent", "content__unaccent"]
    raw_id_fields = ["commitment", "organisation"]


@admin.register(models.RecommendationUpdate)
class RecommendationUpdateAdmin(RuleCarryingAdmin):
    list_display = ["recommendation", "status", "reported_on", "author"]
    list_filter = ["status"]
    search_fields = ["note__unaccent"]
    list_select_related = ["recommendation", "author"]
    raw_id_fields = ["recommendation", "author"]


@admin.register(models.Pilot)
class PilotAdmin(RuleCarryingAdmin):
    list_display = ["title", "school_level", "start_date", "end_date", "decision"]
    list_filter = ["school_level", "decision"]
    search_fields = ["title__unaccent"]
    raw_id_fields = ["programme", "schools", "evaluated_by", "decided_by", "created_by"]
