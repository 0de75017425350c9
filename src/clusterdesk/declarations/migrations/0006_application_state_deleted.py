"""A deleted draft (已删除): one more application state, restorable by the city bureau."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0005_round_moved_to_rounds"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="application",
            name="application_state_valid",
        ),
        migrations.AlterField(
            model_name="application",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已提交"),
                    ("returned", "已退回"),
                    ("under_review", "审核中"),
                    ("certified", "已认定"),
                    ("rejected", "未认定"),
                    ("revoked", "已撤销"),
                    ("deleted", "已删除"),
                ],
                default="draft",
                editable=False,
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="applicationevent",
            name="from_state",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已提交"),
                    ("returned", "已退回"),
                    ("under_review", "审核中"),
                    ("certified", "已认定"),
                    ("rejected", "未认定"),
                    ("revoked", "已撤销"),
                    ("deleted", "已删除"),
                ],
                max_length=20,
                verbose_name="原状态",
            ),
        ),
        migrations.AlterField(
            model_name="applicationevent",
            name="to_state",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已提交"),
                    ("returned", "已退回"),
                    ("under_review", "审核中"),
                    ("certified", "已认定"),
                    ("rejected", "未认定"),
                    ("revoked", "已撤销"),
                    ("deleted", "已删除"),
                ],
                max_length=20,
                verbose_name="新状态",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "draft",
                            "submitted",
                            "returned",
                            "under_review",
                            "certified",
                            "rejected",
                            "revoked",
                            "deleted",
                        ],
                    )
                ),
                name="application_state_valid",
            ),
        ),
    ]
