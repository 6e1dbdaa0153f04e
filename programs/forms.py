from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation

from .models import Commitment, LocalActivity, PlanActivity, Recommendation, Side

EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods"}
MAX_EVIDENCE_FILES = 10


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    summary = forms.CharField(label=_("Mục tiêu, yêu cầu"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
        else:
            self.fields["year"].initial = timezone.localdate().year


def _organisation_choices():
    return Organisation.objects.exclude(kind__in=[Organisation.Kind.SCHOOL, Organisation.Kind.SCHOOL_LIBRARY]).filter(
        valid_to__isnull=True
    )


class CommitmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.text[:110]}{'…' if len(obj.text) > 110 else ''}"


class ActivityForm(forms.ModelForm):
    commitments = CommitmentChoiceField(
        label=_("Thực hiện nội dung phối hợp"),
        queryset=Commitment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một nội dung phối hợp mà hoạt động này thực hiện.")},
    )

    class Meta:
        model = PlanActivity
        fields = [
            "title",
            "description",
            "commitments",
            "lead_unit",
            "partner_units",
            "start_date",
            "end_date",
            "target_value",
            "target_unit",
            "funding_side",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "partner_units": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["commitments"].queryset = plan.programme.commitments.order_by("position")
        orgs = _organisation_choices().select_related("district")
        self.fields["lead_unit"].queryset = orgs
        self.fields["partner_units"].queryset = orgs
        self.fields["partner_units"].required = False
        self.fields["funding_side"].choices = Side.choices
        if not self.instance.pk:
            self.fields["start_date"].initial = timezone.datetime(plan.year, 1, 1).date()
            self.fields["end_date"].initial = timezone.datetime(plan.year, 12, 31).date()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def _post_clean(self):
        # The service validates the model and the plan's rules; the form checks input only.
        pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Phê duyệt")), ("return", _("Trả lại"))])
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 3}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("Ngày cập nhật"), widget=DateInput())
    percent = forms.IntegerField(label=_("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100, required=False)
    achieved_value = forms.DecimalField(
        label=_("Kết quả đạt được"), min_value=0, max_digits=10, decimal_places=0, required=False
    )
    narrative = forms.CharField(label=_("Mô tả kết quả"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, ảnh, Word, Excel; tối đa 10 tệp."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(_("Tối đa %(n)s tệp minh chứng mỗi lần.") % {"n": MAX_EVIDENCE_FILES})
        for upload in files:
            if Path(upload.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
                raise forms.ValidationError(
                    _("Tệp “%(f)s” không đúng định dạng cho phép (PDF, ảnh, Word, Excel).") % {"f": upload.name}
                )
        return files

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("percent") is None and cleaned.get("achieved_value") is None and not self.errors:
            raise forms.ValidationError(_("Vui lòng nhập tỷ lệ hoàn thành hoặc kết quả đạt được."))
        return cleaned


class LocalActivityForm(forms.ModelForm):
    class Meta:
        model = LocalActivity
        fields = [
            "provincial_activity",
            "title",
            "start_date",
            "end_date",
            "target_value",
            "target_unit",
            "percent",
            "progress_note",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "progress_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, local_plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provincial_activity"].queryset = local_plan.plan.activities.order_by("position")
        self.fields["percent"].widget.attrs.update({"min": 0, "max": 100})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        percent = cleaned.get("percent")
        if percent is not None and percent > 100:
            self.add_error("percent", _("Tỷ lệ hoàn thành tối đa là 100%."))
        return cleaned

    def _post_clean(self):
        pass


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Recommendation.Status.choices)
    follow_up = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
