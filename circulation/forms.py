from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lookups import LookupChoiceField
from directory.models import Organisation
from directory.selectors import districts

from .models import Item, RotatingCollection
from .selectors import library_filter_choices, receiving_libraries, school_library_choices

DATE_WIDGET = {"type": "date"}


class SchoolLibraryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.district.name})" if obj.district_id else obj.name


class CollectionForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Thư viện sở hữu"), queryset=Organisation.objects.none())

    class Meta:
        model = RotatingCollection
        fields = ["owner", "code", "name", "theme", "target_level", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = libraries
        if libraries is not None and libraries.count() == 1:
            self.fields["owner"].initial = libraries.first()

    def validate_unique(self):  # the service checks it with the owner set
        pass


class CollectionEditForm(forms.ModelForm):
    class Meta:
        model = RotatingCollection
        fields = ["name", "theme", "target_level", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ItemForm(forms.Form):
    """One title of a collection. ISBN, year, copies and barcode are checked by the service
    with the same rules and messages as the import."""

    title = forms.CharField(label=_("Nhan đề"), max_length=500)
    authors = forms.CharField(label=_("Tác giả"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Nhà xuất bản"), max_length=255, required=False)
    year = forms.IntegerField(
        label=_("Năm xuất bản"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Năm xuất bản phải là một số, ví dụ 2021.")},
    )
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=20,
        required=False,
        help_text=_("ISBN-10 hoặc ISBN-13, có hoặc không có dấu gạch; mã vạch EAN của hàng hóa không được nhận."),
    )
    call_number = forms.CharField(label=_("Ký hiệu xếp giá"), max_length=80, required=False)
    barcode = forms.CharField(
        label=_("Mã vạch"), max_length=40, required=False, help_text=_("Không trùng với sách khác của thư viện.")
    )
    copies = forms.IntegerField(
        label=_("Số bản"),
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Số bản phải từ 1 đến 999.")},
    )
    condition = forms.ChoiceField(label=_("Tình trạng"), choices=Item.Condition.choices, initial=Item.Condition.GOOD)

    @classmethod
    def for_item(cls, item: Item, data=None) -> "ItemForm":
        initial = {name: getattr(item, name) for name in cls.base_fields}
        initial["isbn"] = item.isbn_display
        return cls(data, initial=initial)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục sách"),
        help_text=_("Bảng tính .xlsx/.csv theo mẫu, hoặc MARC21 (.mrc, .dat, .iso) hay MARCXML (.xml)."),
    )


class RotationPlanForm(forms.Form):
    school_library = SchoolLibraryChoiceField(label=_("Thư viện trường nhận"), queryset=Organisation.objects.none())
    planned_dispatch_date = forms.DateField(
        label=_("Ngày dự kiến gửi"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET)
    )
    due_date = forms.DateField(
        label=_("Hạn trả"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET),
        help_text=_("Để trống: 3 tháng sau ngày gửi (không quá 6 tháng, không sau 31/5 của năm học)."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, owner: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_library"].queryset = receiving_libraries(owner)
        self.fields["planned_dispatch_date"].initial = timezone.localdate()


class ReceiveCountForm(forms.Form):
    total = forms.IntegerField(
        label=_("Tổng số bản đã nhận"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class RouteForm(forms.Form):
    name = forms.CharField(label=_("Tên lộ trình"), max_length=200)
    school_year = forms.RegexField(
        label=_("Năm học"), regex=r"^\d{4}-\d{4}$", error_messages={"invalid": _("Nhập năm học dạng 2026-2027.")}
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET))

    def __init__(self, *args, owner: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = receiving_libraries(owner)
        for index in range(1, 6):
            self.fields[f"stage_{index}_library"] = SchoolLibraryChoiceField(
                label=_("Chặng %(n)s: thư viện trường") % {"n": index}, queryset=libraries, required=index == 1
            )
            self.fields[f"stage_{index}_days"] = forms.IntegerField(
                label=_("Chặng %(n)s: số ngày") % {"n": index},
                min_value=1,
                max_value=183,
                required=False,
                initial=60 if index == 1 else None,
            )

    def clean(self):
        data = super().clean()
        stages = []
        for index in range(1, 6):
            library, days = data.get(f"stage_{index}_library"), data.get(f"stage_{index}_days")
            if library and not days:
                self.add_error(f"stage_{index}_days", _("Nhập số ngày của chặng."))
            elif library:
                stages.append((library, days))
        data["stages"] = stages
        return data


class _BootstrapFilter:
    """Filter forms are laid out by hand in a row: give their widgets Bootstrap classes."""

    def _style(self):
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not field.required:
                field.empty_label = _("Tất cả")
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _district_field():
    return LookupChoiceField(
        label=_("Huyện / thành phố"), queryset=districts(), required=False, placeholder=_("Tên huyện")
    )


class StatisticsFilterForm(_BootstrapFilter, forms.Form):
    district = _district_field()
    school_library = SchoolLibraryChoiceField(
        label=_("Thư viện trường"), queryset=Organisation.objects.none(), required=False
    )
    start = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET)
    )
    end = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_WIDGET)
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The schools of one district: a user of one district sees theirs; anyone wider
        # chooses the district first (a country has tens of thousands of school libraries).
        choices = school_library_choices(user)
        district = self._chosen_district()
        if district is not None:
            choices = choices.filter(district_id=district.pk)
        elif not (user.organisation_id and user.organisation.district_id):
            choices = None
        self.fields["school_library"].queryset = choices if choices is not None else Organisation.objects.none()
        self._style()
        if choices is None:
            self.fields["school_library"].empty_label = _("Chọn huyện / thành phố trước để lọc theo trường.")

    def _chosen_district(self):
        if not self.is_bound or not self.data.get("district"):
            return None
        try:
            return self.fields["district"].clean(self.data["district"])
        except forms.ValidationError:
            return None

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước “Đến ngày”."))
        return data


class DiscrepancyFilterForm(_BootstrapFilter, forms.Form):
    library = LookupChoiceField(
        label=_("Thư viện gửi"),
        queryset=Organisation.objects.none(),
        required=False,
        search_fields=("name", "short_name"),
        placeholder=_("Tên thư viện"),
    )
    district = _district_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = library_filter_choices(user)
        self._style()
