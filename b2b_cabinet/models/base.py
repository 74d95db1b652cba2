"""Shared model pieces: 1C identifiers, timestamps and company scoping."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdMixin(models.Model):
    """A row that 1C knows by its Ид (a GUID, sometimes ``guid#guid``).

    Rows created in the admin may have no Ид; the partial unique constraint each subclass
    declares keeps the ones that do unique.
    """

    external_id = models.CharField(
        _("1C Ид"), max_length=100, blank=True, null=True, help_text=_("Identifier in 1C:Enterprise.")
    )

    class Meta:
        abstract = True


class TimestampedMixin(models.Model):
    """Creation and modification times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    """A unique constraint on ``external_id`` that ignores rows without one."""
    return models.UniqueConstraint(
        fields=["external_id"],
        condition=models.Q(external_id__isnull=False),
        name=f"b2b_{model_name}_unique_external_id",
    )


class CompanyScopedQuerySet(models.QuerySet):
    """QuerySet whose ``for_company`` is the one door partners' views go through.

    Subclasses set ``company_path`` to the lookup from the model to ``Company``.
    """

    company_path = "company"

    def for_company(self, company):
        """Rows that belong to ``company``; nothing when there is no company."""
        if company is None:
            return self.none()
        return self.filter(**{self.company_path: company})


class AppendOnlyQuerySet(CompanyScopedQuerySet):
    """Refuses bulk updates and deletes: rows of an append-only log are written once and kept."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyMixin(models.Model):
    """An append-only log row (audit events, order timeline, ledger): ``save()`` only inserts and
    ``delete()`` refuses. Pair it with :class:`AppendOnlyQuerySet` for the bulk paths."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only.")
