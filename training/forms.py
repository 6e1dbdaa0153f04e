from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MAX_PUPILS_PER_SESSION, Course, GuidanceDocument, Session, StaffMember
from .services import COURSE_FIELDS, GUIDANCE_FIELDS, SESSION_FIELDS, STAFF_FIELDS
from .uploads import check_guidance_file

MAX_MATERIAL_SIZE = 10 * 1024 * 1024
MATERIAL_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".pptx", ".odt", ".jpg", ".png", ".zip")


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = COURSE_FIELDS
        widgets = {
            "nomination_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "syllabus": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from programs.models import PlanActivity

        year = timezone.localdate().year
        field = self.fields["plan_activity"]
        field.queryset = (
            PlanActivity.objects.filter(plan__year__gte=year - 1)
            .exclude(status=PlanActivity.Status.CANCELLED)
            .select_related("plan")
            .order_by("-plan__year", "plan", "position", "pk")
        )
        field.label_from_instance = lambda a: f"{a.plan.year} – {a.title}"


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = SESSION_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import venue_choices

        self.fields["venue"].queryset = venue_choices(course)
        self.fields["pupil_count"].max_value = MAX_PUPILS_PER_SESSION
        self.fields["pupil_count"].widget.attrs["max"] = MAX_PUPILS_PER_SESSION


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word, Excel, PowerPoint, ảnh; tối đa 10 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(MATERIAL_EXTENSIONS):
            raise forms.ValidationError(_("Định dạng tệp không được chấp nhận."))
        if upload.size > MAX_MATERIAL_SIZE:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        return upload


class StaffForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = STAFF_FIELDS

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools


class NominateForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(
        label=_("Nhân viên được đề cử"),
        queryset=StaffMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một người.")},
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, staff_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff_queryset is not None:
            self.fields["staff"].queryset = staff_queryset
        self.fields["staff"].label_from_instance = lambda s: f"{s.full_name} – {s.school.name}"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300, error_messages={"required": _("Hãy nêu lý do.")})


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Mã xác thực"), max_length=20)


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    employment = forms.ChoiceField(
        label=_("Chế độ"), required=False, choices=[("", _("Tất cả"))] + StaffMember.Employment.choices
    )


class CourseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + Course.Status.choices
    )
    kind = forms.ChoiceField(label=_("Loại hình"), required=False, choices=[("", _("Tất cả"))] + Course.Kind.choices)


class GuidanceDocumentForm(forms.ModelForm):
    class Meta:
        model = GuidanceDocument
        fields = GUIDANCE_FIELDS
        labels = {"summary": _("Mô tả")}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class GuidanceVersionForm(forms.Form):
    version = forms.CharField(label=_("Phiên bản"), max_length=20, help_text=_("Ví dụ: 1.0, 2.1"))
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx) hoặc PowerPoint (.pptx); tối đa 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx"}),
    )
    notes = forms.CharField(label=_("Nội dung thay đổi"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_guidance_file(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload
