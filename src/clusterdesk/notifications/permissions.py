"""Who may read notifications (see ``accounts.permissions`` for how rules work). Everyone
signed in has a list of their own; the views look every notification up by its recipient."""

from __future__ import annotations

from clusterdesk.accounts.permissions import ACTIVE, SIGNED_IN, rule

LIST = rule("notification.list", SIGNED_IN, ACTIVE)
