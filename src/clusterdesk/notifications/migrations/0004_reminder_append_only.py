# The log of sent deadline reminders is append-only: its rows are refused UPDATE and DELETE.

from django.db import migrations

from clusterdesk.shared.appendonly import triggers_operation


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_monitoring_notifications"),
    ]

    operations = [
        triggers_operation("notifications_reminder", "截止提醒"),
    ]
