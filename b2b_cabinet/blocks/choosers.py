"""A product chooser for StreamField blocks: editors pick products from the 1C catalogue in a modal.

Products are model rows, not snippets or pages, so Wagtail's ``ChooserViewSet`` provides the modal
and the block class. Products are not in Wagtail's search index (150,000 rows written by the
importer), so the modal searches with the catalogue's own SKU/name search instead.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class ProductFilterForm(BaseFilterForm):
    """Search by SKU, barcode or words of the name."""

    q = forms.CharField(
        label=_("Search term"), required=False, widget=forms.TextInput(attrs={"placeholder": _("SKU or name")})
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.search(query)
        return objects


class ProductChooseViewMixin:
    filter_form_class = ProductFilterForm
    ordering = ["name", "pk"]

    def get_object_list(self):
        return self.model_class.objects.active().only("pk", "name", "sku")


class ProductChooseView(ProductChooseViewMixin, ChooseView):
    pass


class ProductChooseResultsView(ProductChooseViewMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    """The modal behind ``ProductChooserBlock``; registered in ``wagtail_hooks``."""

    model = "b2b_cabinet.Product"
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit this product")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    per_page = 20
    # The product's ForeignKey fields elsewhere keep their plain select widget.
    register_widget = False


product_chooser_viewset = ProductChooserViewSet("b2b_product_chooser", url_prefix="b2b/product-chooser")
ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="b2b_cabinet.blocks.choosers"
)
