"""Password rules whose messages Django's Chinese translation lacks.

Django 5.2 reworded the minimum-length message (``get_error_message``) and its zh_Hans catalogue
does not have the new wording yet, so a too-short password was refused in English. Same rule,
same code and parameters, in Chinese; the help text says the same as the change page's hint.
"""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
