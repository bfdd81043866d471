"""How a member's history page shows each change: labels, not stored codes."""

from datetime import datetime

from django.db.models import ManyToManyField
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class MemberHistoryContextHelper(HistoricalRecordContextHelper):
    """Shows "Verified" rather than "verified", dates in the staff's format, "—" for none."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, ManyToManyField):
            return super().prepare_delta_change_value(change, value) or EMPTY
        if value is None or value == "":
            return EMPTY
        if isinstance(value, DeletedObject):
            return EMPTY if value.pk is None else str(value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime):
            return formats.localize(
                timezone.localtime(value) if timezone.is_aware(value) else value
            )
        return value
