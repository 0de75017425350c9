from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from clusterdesk.demo.seed import seed_demo
from clusterdesk.demo.table import text_table

LOGIN_HEADERS = ("用户名", "角色", "所属单位", "密码")


class Command(BaseCommand):
    help = (
        "创建演示数据（单位、各角色用户、专家库、2022年度和2023年度申报轮次及其审核认定过程，"
        "已认定集群的年度发展情况报告、复核与撤销），可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在非调试模式下也创建演示数据（演示账户使用公开的共享密码，慎用）。",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        # Demo accounts share a published password: never create them in production by accident.
        if not settings.DEBUG and not force:
            raise CommandError(
                "演示账户使用公开的共享密码，只在调试模式（CLUSTERDESK_DEBUG=1）下创建。"
                "如确需在当前环境创建，请加 --force。",
                returncode=2,
            )
        try:
            report = seed_demo()
        except DatabaseError as exc:
            raise CommandError(
                f"无法写入数据库，请先运行“python manage.py migrate”并检查 DATABASE_URL：{exc}",
                returncode=2,
            ) from exc
        if report.created_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已创建：单位 {report.organisations_created} 个，"
                    f"用户 {report.users_created} 个，专家 {report.experts_created} 位，"
                    f"轮次 {report.rounds_created} 个，申报 {report.applications_created} 份，"
                    f"年度报告 {report.reports_created} 份。"
                )
            )
        else:
            self.stdout.write("演示数据已存在，未作改动。")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        rows = [(x.username, x.role, x.organisation, x.password) for x in report.logins]
        self.stdout.write("\n演示账户（所有账户密码相同）：\n")
        self.stdout.write(text_table(LOGIN_HEADERS, rows))
