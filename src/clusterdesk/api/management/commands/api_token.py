"""``manage.py api_token issue|revoke|list``: the administrator's API tokens on the command line.
The secret is printed once, by ``issue``; the database keeps only its SHA-256."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from clusterdesk.api import tokens
from clusterdesk.api.models import ApiToken
from clusterdesk.errors import DomainError


def _when(moment) -> str:
    return f"{localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


class Command(BaseCommand):
    help = "开放接口令牌：issue 签发（令牌只显示一次）、revoke 吊销、list 列出。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="issue|revoke|list")
        issue = actions.add_parser("issue", help="签发令牌")
        issue.add_argument("username", metavar="用户名")
        issue.add_argument("--name", required=True, metavar="用途", help="如“省厅数据对接”")
        issue.add_argument(
            "--days", type=int, default=tokens.DEFAULT_DAYS, metavar="天数", help="有效天数"
        )
        revoke = actions.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", metavar="令牌前缀", help="list 显示的前缀，如 cdk_AbCdEfGh")
        listing = actions.add_parser("list", help="列出令牌")
        listing.add_argument("--user", metavar="用户名")

    def handle(self, *args, action: str | None = None, **options) -> None:
        if action == "issue":
            self._issue(options["username"], options["name"], options["days"])
        elif action == "revoke":
            self._revoke(options["prefix"])
        elif action == "list":
            self._list(options.get("user"))
        else:
            raise CommandError("请指定 issue、revoke 或 list。", returncode=2)

    def _issue(self, username: str, name: str, days: int) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户名：没有用户“{username}”。", returncode=2)
        try:
            issued = tokens.issue(user, name, days)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(
            f"已为 {username} 签发令牌“{issued.token.name}”，"
            f"有效至 {_when(issued.token.expires_at)}。令牌只显示这一次：\n{issued.secret}"
        )

    def _revoke(self, prefix: str) -> None:
        token = ApiToken.objects.filter(prefix=prefix.strip()).first()
        if token is None:
            raise CommandError(f"令牌前缀：没有前缀为“{prefix}”的令牌。", returncode=2)
        if tokens.revoke(token):
            self.stdout.write(f"已吊销令牌 {token.prefix}（{token.name}）。")
        else:
            self.stdout.write(f"令牌 {token.prefix} 此前已被吊销。")

    def _list(self, username: str | None) -> None:
        rows = ApiToken.objects.select_related("user").order_by("created_at", "pk")
        if username:
            rows = rows.filter(user__username=username)
        for token in rows:
            state = "已吊销" if token.revoked_at else "有效"
            self.stdout.write(
                f"{token.prefix}  {token.user.username}  {token.name}"
                f"  签发 {_when(token.created_at)}  到期 {_when(token.expires_at)}"
                f"  最近使用 {_when(token.last_used_at)}  {state}"
            )
