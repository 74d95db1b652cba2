"""Forms of the cabinet catalogue and quick order: filters, pasted or uploaded lines."""


from django import forms
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.catalogue import MAX_QUERY_LENGTH, CatalogueFilter
from b2b_cabinet.models import Brand, Category, Warehouse
from b2b_cabinet.quickorder import MAX_UPLOAD_BYTES


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET form: search text, category (with its subcategories), brand, warehouse, in stock."""

    q = forms.CharField(label=_("Search by SKU, name or barcode"), required=False,
                        max_length=MAX_QUERY_LENGTH)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False,
                                      empty_label=_("All categories"))
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none(), required=False,
                                   empty_label=_("All brands"))
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none(), required=False,
                                       empty_label=_("Any warehouse"))
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)

    def __init__(self, data=None, *, warehouses=None):
        super().__init__(data)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("path")
        self.fields["brand"].queryset = Brand.objects.order_by("name")
        self.fields["warehouse"].queryset = warehouses if warehouses is not None else Warehouse.objects.none()

    def to_filter(self) -> CatalogueFilter:
        """The valid choices as a :class:`CatalogueFilter`; invalid fields are ignored rather than refused."""
        data = self.cleaned_data if self.is_valid() else {k: v for k, v in getattr(self, "cleaned_data", {}).items()}
        return CatalogueFilter(query=(data.get("q") or "").strip(), category=data.get("category"),
                               brand=data.get("brand"), warehouse=data.get("warehouse"),
                               in_stock=bool(data.get("in_stock")))


class QuickOrderForm(forms.Form):
    """Lines pasted from Excel, or a file: one of the two."""

    text = forms.CharField(
        label=_("Lines “SKU quantity”"), required=False, widget=forms.Textarea(attrs={"rows": 10, "cols": 50}),
        help_text=_("One line per product, as copied from Excel: SKU, then quantity (tab, semicolon or space)."),
    )
    file = forms.FileField(label=_("…or an .xlsx or .csv file"), required=False,
                           help_text=_("SKU in the first column, quantity in the second; a header row is fine."))
    warehouse = forms.ModelChoiceField(label=_("Ship from"), queryset=Warehouse.objects.none(), required=False,
                                       empty_label=_("choose later in the cart"))

    def __init__(self, *args, warehouses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses if warehouses is not None else Warehouse.objects.none()

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if not (data.get("text") or "").strip() and not upload:
            raise forms.ValidationError(_("Paste some lines or choose a file."))
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
        return data
