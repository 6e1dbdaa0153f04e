"""Forms of the reports app: opening, editing and reopening a reporting period."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation

from .models import ReportingPeriod


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        district = obj.district.name if obj.district_id else ""
        return f"{obj.name}{' – ' + district if district and district not in obj.name else ''}"


HALF_CHOICES = [
    ("H1", _("6 tháng đầu năm (H1): số liệu từ 15/12 năm trước đến 14/6")),
    ("H2", _("6 tháng cuối năm (H2): số liệu từ 15/6 đến 14/12")),
]


class PeriodForm(forms.Form):
    """Open a period (year and half shown) or edit one (only dates, organisations, note)."""

    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    half = forms.ChoiceField(label=_("Kỳ theo Nghị định 09/2019/NĐ-CP"), choices=HALF_CHOICES, widget=forms.RadioSelect)
    due_date = forms.DateField(
        label=_("Hạn nộp báo cáo"),
        widget=DateInput(),
        required=False,
        help_text=_("Để trống: 5 ngày sau ngày cuối của kỳ số liệu."),
    )
    lock_date = forms.DateField(
        label=_("Ngày khóa sổ"),
        widget=DateInput(),
        required=False,
        help_text=_("Để trống: 30 ngày sau hạn nộp. Sau ngày này báo cáo không sửa được nữa."),
    )
    organisations = OrganisationsField(
        label=_("Đơn vị phải báo cáo"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sao từ kỳ trước; bỏ chọn hoặc chọn thêm khi cần."),
        error_messages={"required": _("Chọn ít nhất một đơn vị phải báo cáo.")},
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, period: ReportingPeriod | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organisation.objects.filter(kind__in=Organisation.DISTRICT_OFFICE_KINDS).select_related("district")
        self.fields["organisations"].queryset = queryset.order_by("district__code", "kind", "name")
        if period is not None:
            del self.fields["year"], self.fields["half"]
            self.fields["due_date"].required = self.fields["lock_date"].required = True
            self.fields["due_date"].help_text = self.fields["lock_date"].help_text = ""
            self.fields["organisations"].help_text = ""
        else:
            self.fields["year"].initial = timezone.localdate().year


class PeriodReopenForm(forms.Form):
    lock_date = forms.DateField(label=_("Khóa sổ lại vào ngày"), widget=DateInput())
    reason = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 3}))
