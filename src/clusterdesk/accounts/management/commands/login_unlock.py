"""``manage.py login_unlock``: lift login limits before they run out by themselves."""

from __future__ import annotations

import ipaddress

from django.core.management.base import BaseCommand, CommandError

from clusterdesk.accounts import loginlimits
from clusterdesk.accounts.client import address_bucket


class Command(BaseCommand):
    help = (
        "解除登录限制：列出的用户名解除账户锁定并清零失败次数；--ip 解除某网络地址的频率限制；"
        "--all 解除全部锁定和计数。"
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", metavar="用户名")
        parser.add_argument(
            "--ip", action="append", default=[], metavar="地址", help="客户端网络地址，可重复"
        )
        parser.add_argument("--all", action="store_true", help="解除全部账户和地址的限制")

    def handle(self, *args, usernames: list[str], ip: list[str], all: bool, **options) -> None:
        if not (usernames or ip or all):
            raise CommandError("请指定用户名、--ip 地址或 --all。", returncode=2)
        for address in ip:
            try:
                ipaddress.ip_address(address.strip())
            except ValueError:
                raise CommandError(f"“{address}”不是有效的网络地址。", returncode=2) from None
        if all:
            loginlimits.unlock_all()
            self.stdout.write("已解除全部登录锁定和频率限制。")
            return
        for username in usernames:
            was_locked = loginlimits.unlock_account(username)
            state = "已解除锁定" if was_locked else "未被锁定，已清零失败次数"
            self.stdout.write(f"账户 {username}：{state}。")
        for address in ip:
            loginlimits.unlock_address(address_bucket(address.strip()))
            self.stdout.write(f"地址 {address.strip()}：已解除频率限制。")
