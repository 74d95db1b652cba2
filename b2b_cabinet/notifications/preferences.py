"""Per-user choices: which event types reach a user through which channel (default: all)."""

from __future__ import annotations

from b2b_cabinet.models import ChannelName, EventType, NotificationPreference


def is_enabled(user, event_type: str, channel: str) -> bool:
    """Whether ``user`` wants ``event_type`` through ``channel``; True unless switched off."""
    row = NotificationPreference.objects.filter(user=user, event_type=event_type, channel=channel).first()
    return True if row is None else row.enabled


def preference_table(user) -> list[dict]:
    """Rows for the cabinet settings form: each event type with each channel's on/off."""
    stored = {(p.event_type, p.channel): p.enabled for p in NotificationPreference.objects.filter(user=user)}
    return [
        {"event_type": event, "label": event.label,
         "channels": [{"channel": ch, "label": ch.label, "enabled": stored.get((event, ch), True)}
                      for ch in ChannelName]}
        for event in EventType
    ]


def set_preference(user, event_type: str, channel: str, enabled: bool) -> NotificationPreference:
    """Switch one event type on one channel for ``user``."""
    row, _ = NotificationPreference.objects.update_or_create(
        user=user, event_type=EventType(event_type), channel=ChannelName(channel), defaults={"enabled": enabled}
    )
    return row
