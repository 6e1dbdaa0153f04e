from django import forms
from django.utils.translation import gettext_lazy as _


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
