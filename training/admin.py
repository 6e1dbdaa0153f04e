from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import BoundedRelatedFilter, PortalAdmin, RuleCarryingAdmin, RuleCarryingInline

from .models import (
    Attendance,
    Certificate,
    Course,
    CourseMaterial,
    GuidanceDocument,
    GuidanceVersion,
    Nomination,
    NominationStateChange,
    Session,
    StaffMember,
)
from .uploads import check_guidance_file


class SessionInline(RuleCarryingInline, admin.TabularInline):
    model = Session
    extra = 0
    raw_id_fields = ["venue"]


class MaterialInline(RuleCarryingInline, admin.TabularInline):
    model = CourseMaterial
    extra = 0
    exclude = ["uploaded_by"]


@admin.register(Course)
class CourseAdmin(RuleCarryingAdmin):
    list_display = ["title", "kind", "organiser", "status", "capacity", "nomination_deadline"]
    list_filter = ["status", "kind", ("organiser", BoundedRelatedFilter)]
    search_fields = ["title__unaccent", "organiser__name__unaccent"]
    list_select_related = ["organiser"]
    raw_id_fields = ["organiser", "created_by"]
    inlines = [SessionInline, MaterialInline]


@admin.register(Session)
class SessionAdmin(RuleCarryingAdmin):
    list_display = ["course", "date", "start_time", "end_time", "place", "venue", "pupil_count"]
    list_filter = ["date"]
    search_fields = ["course__title__unaccent", "place__unaccent"]
    list_select_related = ["course", "venue"]
    raw_id_fields = ["course", "venue"]


@admin.register(CourseMaterial)
class CourseMaterialAdmin(PortalAdmin):
    list_display = ["title", "course", "uploaded_at"]
    search_fields = ["title__unaccent", "course__title__unaccent"]
    raw_id_fields = ["course", "uploaded_by"]


@admin.register(StaffMember)
class StaffMemberAdmin(PortalAdmin):
    list_display = ["full_name", "school", "employment", "qualification", "phone", "is_active"]
    list_filter = ["employment", "qualification", "is_active", "school__district"]
    search_fields = ["full_name__unaccent", "school__name__unaccent"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "user"]


class StateChangeInline(RuleCarryingInline, admin.TabularInline):
    model = NominationStateChange
    extra = 0
    can_delete = False
    readonly_fields = ["state", "at", "by", "note"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(RuleCarryingAdmin):
    # States change only through the services (waitlist order, capacity): read-only here.
    list_display = ["staff", "course", "state", "nominating_organisation", "created_at"]
    # Courses are found through the search box (a country runs thousands), newest first by
    # primary key: the model's order joins and sorts every nomination by its course.
    list_filter = ["state"]
    ordering = ["-pk"]
    search_fields = ["staff__full_name__unaccent", "course__title__unaccent"]
    list_select_related = ["staff", "course", "nominating_organisation"]
    readonly_fields = [f.name for f in Nomination._meta.fields]
    inlines = [StateChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(NominationStateChange)
class NominationStateChangeAdmin(RuleCarryingAdmin):
    list_display = ["nomination", "state", "at", "by"]
    list_filter = ["state"]
    search_fields = ["nomination__staff__full_name__unaccent"]
    readonly_fields = ["nomination", "state", "at", "by", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(RuleCarryingAdmin):
    list_display = ["nomination", "session", "present", "marked_at"]
    list_filter = ["present"]
    search_fields = ["nomination__staff__full_name__unaccent"]
    raw_id_fields = ["session", "nomination", "marked_by"]


@admin.register(Certificate)
class CertificateAdmin(RuleCarryingAdmin):
    list_display = ["code", "holder_name", "course_title", "issued_on", "valid_until", "revoked_at"]
    list_filter = ["issued_on"]
    search_fields = ["code", "holder_name__unaccent", "course_title__unaccent"]
    readonly_fields = ["nomination", "code", "issued_by", "revoked_by"]


class GuidanceVersionAdminForm(forms.ModelForm):
    """The admin refuses the same files as the portal (PDF, DOCX, XLSX, PPTX only)."""

    class Meta:
        model = GuidanceVersion
        fields = ["document", "version", "file", "notes", "published_on"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                check_guidance_file(upload)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return upload


class GuidanceVersionInline(admin.TabularInline):
    model = GuidanceVersion
    form = GuidanceVersionAdminForm
    extra = 1
    readonly_fields = ["download_count"]
    exclude = ["uploaded_by"]


@admin.register(GuidanceDocument)
class GuidanceDocumentAdmin(PortalAdmin):
    list_display = ["title", "audience", "publisher", "is_published"]
    list_filter = ["audience", "is_published", ("publisher", BoundedRelatedFilter)]
    search_fields = ["title__unaccent", "summary__unaccent"]
    raw_id_fields = ["publisher"]
    inlines = [GuidanceVersionInline]

    def save_formset(self, request, form, formset, change):
        for version in formset.save(commit=False):
            if version.uploaded_by_id is None:
                version.uploaded_by = request.user
            version.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(GuidanceVersion)
class GuidanceVersionAdmin(PortalAdmin):
    form = GuidanceVersionAdminForm
    list_display = ["document", "version", "published_on", "download_count"]
    search_fields = ["document__title__unaccent"]
    raw_id_fields = ["document", "uploaded_by"]
    readonly_fields = ["download_count"]
