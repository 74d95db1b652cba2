"""Forms of the cart, checkout, order list and saved lists. Choices are always limited to the company."""

from __future__ import annotations

import calendar
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from b2b_cabinet.models import DeliveryMethod, LegalEntity, OrderStatus, Warehouse


class AddToCartForm(forms.Form):
    """What a catalogue page posts to put a product in the cart."""

    product = forms.IntegerField(widget=forms.HiddenInput)
    variant = forms.IntegerField(required=False, widget=forms.HiddenInput)
    warehouse = forms.IntegerField(required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=20)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CartLineForm(forms.Form):
    """A new quantity (and warehouse) for a cart line."""

    quantity = forms.CharField(label=_("Quantity"), max_length=20)
    warehouse = forms.IntegerField(label=_("Warehouse"), required=False)


class CheckoutForm(forms.Form):
    """The buyer's choices at checkout; ``ship_date`` choices are the dates the calendar offers."""

    legal_entity = forms.ModelChoiceField(label=_("Legal entity"), queryset=LegalEntity.objects.none(),
                                          empty_label=None)
    delivery_method = forms.ChoiceField(label=_("Delivery"), choices=DeliveryMethod.choices,
                                        widget=forms.RadioSelect, initial=DeliveryMethod.PICKUP)
    pickup_warehouse = forms.ModelChoiceField(label=_("Pickup warehouse"), queryset=Warehouse.objects.none(),
                                              required=False)
    delivery_address = forms.CharField(label=_("Delivery address"), max_length=500, required=False)
    ship_date = forms.TypedChoiceField(label=_("Ship date"), coerce=datetime.date.fromisoformat,
                                       widget=forms.RadioSelect)
    po_number = forms.CharField(label=_("PO number"), max_length=100, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        entities = options.legal_entities
        self.fields["legal_entity"].queryset = LegalEntity.objects.filter(pk__in=[e.pk for e in entities])
        self.fields["pickup_warehouse"].queryset = Warehouse.objects.filter(pk__in=[w.pk for w in options.warehouses])
        self.fields["ship_date"].choices = [(d.isoformat(), f"{d:%d.%m.%Y}") for d in options.dates]
        if options.dates:
            self.fields["ship_date"].initial = options.dates[0].isoformat()
        if entities:
            self.fields["legal_entity"].initial = entities[0].pk

    def clean(self):
        data = super().clean()
        method = data.get("delivery_method")
        if method == DeliveryMethod.PICKUP and not data.get("pickup_warehouse"):
            self.add_error("pickup_warehouse", _("Choose the warehouse to pick the order up from."))
        if method == DeliveryMethod.DELIVERY and not (data.get("delivery_address") or "").strip():
            self.add_error("delivery_address", _("Enter the delivery address."))
        return data

    def calendar_months(self):
        """The offered dates laid out as month grids: ``[(month date, [[(day|None, available)]*7, …])]``."""
        dates = self.options.dates
        if not dates:
            return []
        allowed = set(dates)
        months, first, last = [], dates[0].replace(day=1), dates[-1]
        while first <= last:
            weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
            grid = [[(d if d.month == first.month else None, d in allowed) for d in week] for week in weeks]
            months.append((first, grid))
            first = (first + datetime.timedelta(days=32)).replace(day=1)
        return months


class OrderFilterForm(forms.Form):
    """The order list's filters: status, placed between two dates, and text (number, PO, SKU, comment)."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any status")), *OrderStatus.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class SavedListForm(forms.Form):
    """A name for a new saved list."""

    name = forms.CharField(label=_("List name"), max_length=200)
