#!/usr/bin/env python3
"""Django's command-line utility for clusterdesk (run from the repository root)."""

import os
import sys

from django.core.management import execute_from_command_line

from clusterdesk.conf import ConfigError


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
    try:
        execute_from_command_line(sys.argv)
    except ConfigError as error:
        # A malformed setting in the environment (read when the settings load): say which, in
        # Chinese, without a traceback, and refuse to start.
        print(f"拒绝启动：{error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
