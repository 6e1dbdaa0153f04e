from django import forms
from django.utils.translation import gettext_lazy as _

from .models import KIND_CHOICES, Preference


class PreferencesForm(forms.Form):
    """One choice per kind of notification: immediate e-mail, daily digest or in-app only."""

    def __init__(self, *args, modes: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        modes = modes or {}
        for kind, label in KIND_CHOICES:
            self.fields[f"mode_{kind}"] = forms.ChoiceField(
                label=label,
                choices=Preference.Mode.choices,
                initial=modes.get(kind, Preference.Mode.IMMEDIATE),
                error_messages={"invalid_choice": _("Hãy chọn một cách nhận thông báo trong danh sách.")},
            )

    def modes(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"mode_{kind}"] for kind, _label in KIND_CHOICES}
