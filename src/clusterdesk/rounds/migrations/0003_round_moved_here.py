"""Round moves from ``declarations`` into this app. Only Django's idea of where the model lives
changes here (its table keeps its name until 0004); the foreign keys keep pointing at that table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0002_append_only_triggers"),
        ("declarations", "0004_revision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Round",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="如“2023年度”。",
                                max_length=50,
                                unique=True,
                                verbose_name="轮次名称",
                            ),
                        ),
                        (
                            "first_data_year",
                            models.PositiveSmallIntegerField(
                                help_text="如 2020。", verbose_name="数据起始年度"
                            ),
                        ),
                        (
                            "last_data_year",
                            models.PositiveSmallIntegerField(
                                help_text="如 2022。", verbose_name="数据截止年度"
                            ),
                        ),
                        (
                            "reference_date",
                            models.DateField(
                                help_text="未注明年度的数据均截至此日，如 2022-12-31。",
                                verbose_name="数据基准日",
                            ),
                        ),
                        ("submission_deadline", models.DateTimeField(verbose_name="申报截止时间")),
                        (
                            "county_limit",
                            models.PositiveSmallIntegerField(
                                default=2,
                                help_text="每个区（县、市）或管委会最多申报的集群数。",
                                verbose_name="每个申报单位限报数",
                            ),
                        ),
                        (
                            "form_version",
                            models.CharField(
                                default="2023", max_length=20, verbose_name="申报表版本"
                            ),
                        ),
                        (
                            "criteria_profile",
                            models.CharField(
                                default="national-2022", max_length=40, verbose_name="认定标准"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "开放申报"), ("closed", "已关闭")],
                                default="open",
                                max_length=10,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
                        ),
                    ],
                    options={
                        "verbose_name": "申报轮次",
                        "verbose_name_plural": "申报轮次",
                        "ordering": ("-last_data_year", "-pk"),
                        "db_table": "declarations_round",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("status__in", ["open", "closed"])),
                                name="round_status_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("first_data_year__lte", models.F("last_data_year"))
                                ),
                                name="round_data_years_ordered",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("county_limit__gte", 1)),
                                name="round_county_limit_positive",
                            ),
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="roundevent",
                    name="round",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="rounds.round",
                        verbose_name="申报轮次",
                    ),
                ),
            ],
        ),
    ]
