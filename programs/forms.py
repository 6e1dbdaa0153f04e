from pathlib import Path

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import AdministrativeUnit, Organisation, User

from .models import Commitment, Inspection, LocalActivity, Meeting, PlanActivity, Proposal, Recommendation, Side

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


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Recommendation.Status.choices)
    follow_up = forms.CharField(label=_("Kết quả khắc phục"), widget=forms.Textarea(attrs={"rows": 2}))
    reported_on = forms.DateField(label=_("Ngày cập nhật"), widget=DateInput(), required=False)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name or obj.name


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    """Places visited, each named with its district so schools of the same name differ."""

    def label_from_instance(self, obj):
        district = obj.district.name if obj.district_id else ""
        return f"{obj.name} – {district}" if district and district not in obj.name else obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.organisation
        name = obj.get_full_name() or obj.username
        return f"{name} ({org.short_name or org.name})" if org else name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoiceField.label_from_instance


def _people():
    """People who take part in the programme's meetings: everyone but school librarians."""
    return (
        User.objects.filter(is_active=True, organisation__isnull=False)
        .exclude(role=User.Role.SCHOOL_LIBRARIAN)
        .select_related("organisation")
        .order_by("organisation__code", "full_name")
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại cuộc họp"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=300)
    date = forms.DateField(label=_("Ngày họp"), widget=DateInput())
    start_time = forms.TimeField(label=_("Giờ bắt đầu"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Giờ kết thúc"), widget=TimeInput())
    location = forms.CharField(label=_("Địa điểm"), max_length=300)
    participant_organisations = OrganisationChoiceField(
        label=_("Đơn vị tham dự"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (trên điện thoại: chạm từng mục) để chọn nhiều đơn vị."),
    )
    participants = PeopleChoiceField(
        label=_("Người tham dự"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    other_participants = forms.CharField(
        label=_("Thành phần khác"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    agenda = forms.CharField(
        label=_("Chương trình họp"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Mỗi dòng một nội dung."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_organisations"].queryset = _organisation_choices().order_by(
            "district__code", "kind", "name"
        )
        self.fields["participants"].queryset = _people()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Giờ kết thúc phải sau giờ bắt đầu."))
        return cleaned

    def times(self):
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        starts = timezone.make_aware(timezone.datetime.combine(data["date"], data["start_time"]), tz)
        ends = timezone.make_aware(timezone.datetime.combine(data["date"], data["end_time"]), tz)
        return starts, ends

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "date": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "location": meeting.location,
            "participant_organisations": list(meeting.participant_organisations.values_list("pk", flat=True)),
            "participants": list(meeting.participants.values_list("pk", flat=True)),
            "other_participants": meeting.other_participants,
            "agenda": meeting.agenda,
        }


class MinutesForm(forms.Form):
    decisions = forms.CharField(label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    minutes_file = forms.FileField(
        label=_("Tệp biên bản"), required=False, help_text=_("PDF, Word hoặc ảnh chụp; tối đa 20 MB.")
    )


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Việc cần làm"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(label=_("Người phụ trách"), queryset=User.objects.none(), required=False)
    owner_organisation = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Để trống thì lấy đơn vị của người phụ trách."),
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self.fields["owner_organisation"].queryset = _organisation_choices().order_by("district__code", "kind", "name")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("owner") is None and cleaned.get("owner_organisation") is None:
            raise forms.ValidationError(_("Vui lòng chọn người phụ trách hoặc đơn vị thực hiện."))
        return cleaned


class InspectionForm(forms.ModelForm):
    places = PlaceChoiceField(
        label=_("Nơi đến"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Thư viện, trường học thuộc huyện được chọn."),
    )

    class Meta:
        model = Inspection
        fields = ["kind", "title", "date", "district", "places", "team", "findings"]
        widgets = {
            "date": DateInput(),
            "team": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.DISTRICT, valid_to__isnull=True
        ).order_by("code")
        self.fields["places"].queryset = (
            Organisation.objects.filter(valid_to__isnull=True, district__isnull=False)
            .select_related("district")
            .exclude(kind=Organisation.Kind.SCHOOL_LIBRARY)
            .order_by("district__code", "kind", "name")
        )


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_organisation = forms.ModelChoiceField(label=_("Đơn vị thực hiện"), queryset=Organisation.objects.none())
    due_date = forms.DateField(label=_("Hạn thực hiện"), widget=DateInput())

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = (
            Organisation.objects.filter(valid_to__isnull=True)
            .filter(Q(district=inspection.district_id) | Q(district__isnull=True))
            .exclude(kind=Organisation.Kind.SCHOOL_LIBRARY)
            .order_by("district__code", "kind", "name")
        )


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "kind",
            "title",
            "commitment",
            "organisation",
            "addressee",
            "content",
            "document_number",
            "sent_on",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 6}), "sent_on": DateInput()}
        help_texts = {"sent_on": _("Để trống khi còn là dự thảo; nhập ngày gửi thì đề xuất chuyển sang “đã gửi”.")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = programme.commitments.filter(section="IV").order_by("position")
        self.fields["commitment"].label_from_instance = lambda c: f"{c.code} – {c.text[:90]}"
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.DEPARTMENT, *Organisation.FOCAL_KINDS], valid_to__isnull=True
        ).order_by("code")


class ProposalResponseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[c for c in Proposal.Status.choices if c[0] != Proposal.Status.DRAFT]
    )
    response = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responded_on = forms.DateField(label=_("Ngày trả lời"), widget=DateInput(), required=False)


class CommitmentSingleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.text[:110]}{'…' if len(obj.text) > 110 else ''}"


class AmendmentForm(forms.Form):
    """Proposal of a new text for one commitment of the programme, or of a new commitment."""

    commitment = CommitmentSingleChoiceField(
        label=_("Điều khoản sửa đổi"),
        queryset=Commitment.objects.none(),
        required=False,
        empty_label=_("— Bổ sung điều khoản mới —"),
    )
    code = forms.CharField(
        label=_("Mã điều khoản"),
        max_length=20,
        required=False,
        help_text=_("Để trống để giữ mã hiện hành; bắt buộc khi bổ sung điều khoản mới."),
    )
    text = forms.CharField(label=_("Nội dung mới"), widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(label=_("Lý do sửa đổi, bổ sung"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = programme.commitments.order_by("position")


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("agree", _("Đồng ý")), ("return", _("Trả lại"))])
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LocalPlansDueForm(forms.Form):
    due_date = forms.DateField(label=_("Hạn gửi kế hoạch địa phương"), widget=DateInput(), required=False)


class PilotForm(forms.Form):
    title = forms.CharField(label=_("Tên mô hình thí điểm"), max_length=300)
    school_level = forms.ChoiceField(label=_("Cấp học"))
    start_date = forms.DateField(label=_("Bắt đầu"), widget=DateInput())
    end_date = forms.DateField(label=_("Kết thúc"), widget=DateInput())
    description = forms.CharField(
        label=_("Nội dung thí điểm"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("Trường tham gia"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Chỉ các trường đúng cấp học của mô hình; giữ Ctrl để chọn nhiều trường."),
    )

    def __init__(self, *args, level: str | None = None, **kwargs):
        from .models import Pilot

        super().__init__(*args, **kwargs)
        self.fields["school_level"].choices = Pilot._meta.get_field("school_level").choices
        schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, valid_to__isnull=True).select_related(
            "district"
        )
        # Choices are the schools of the level; the service re-checks whatever is posted.
        self.fields["schools"].queryset = (schools.filter(school_level=level) if level else schools).order_by(
            "district__code", "name"
        )
        self.fields["schools"].label_from_instance = lambda o: f"{o.name} – {o.district.name if o.district_id else ''}"


class PilotEvaluationForm(forms.Form):
    lessons = forms.CharField(label=_("Bài học kinh nghiệm"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("Minh chứng (biên bản, báo cáo, ảnh)"), required=False)


class PilotDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Quyết định"))
    roll_out_from = forms.DateField(label=_("Nhân rộng từ ngày"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Nội dung quyết định"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        from .models import Pilot

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = Pilot.Decision.choices
