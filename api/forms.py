from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên khóa"),
        max_length=80,
        help_text=_("Để nhận ra khóa sau này, ví dụ: Bảng tính tổng hợp của phòng."),
    )
    expires_on = forms.DateField(
        label=_("Hết hạn sau ngày"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Để trống nếu khóa dùng lâu dài; khóa vẫn thu hồi được bất cứ lúc nào."),
    )
