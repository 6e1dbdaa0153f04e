from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Organisation


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV"),
        help_text=_("Các cột: Mã, Tên, Loại (Trường học/Thư viện), Cấp học, Huyện, Xã, Địa chỉ, Điện thoại, Email."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        return upload


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100)
    district = forms.ModelChoiceField(
        label=_("Huyện / thành phố"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT),
        empty_label=_("Tất cả"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả"))] + Organisation.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
