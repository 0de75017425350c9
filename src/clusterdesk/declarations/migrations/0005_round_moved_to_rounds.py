"""Round now lives in the ``rounds`` app: the foreign keys follow it in Django's state; the
database is unchanged (see rounds 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0004_revision"),
        ("rounds", "0003_round_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="application",
                    name="round",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="rounds.round",
                        verbose_name="申报轮次",
                    ),
                ),
                migrations.AlterField(
                    model_name="summaryheader",
                    name="round",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="summary_headers",
                        to="rounds.round",
                        verbose_name="申报轮次",
                    ),
                ),
                migrations.DeleteModel(
                    name="Round",
                ),
            ],
        ),
    ]
