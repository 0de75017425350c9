"""Submission snapshots and application events refuse UPDATE and DELETE in the database itself."""

from django.db import migrations

from clusterdesk.shared.appendonly import triggers_operation


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0002_summaryheader_submission"),
    ]

    operations = [
        triggers_operation("declarations_submission", "提交快照"),
        triggers_operation("declarations_applicationevent", "申报记录"),
    ]
