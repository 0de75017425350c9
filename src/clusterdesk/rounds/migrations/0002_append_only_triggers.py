"""Round events refuse UPDATE and DELETE in the database itself."""

from django.db import migrations

from clusterdesk.shared.appendonly import triggers_operation


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0001_initial"),
    ]

    operations = [
        triggers_operation("rounds_roundevent", "轮次记录"),
    ]
