from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clusterdesk.accounts"
    label = "accounts"
    verbose_name = "用户与单位"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed  # noqa: PLC0415

        from clusterdesk.accounts.middleware import on_logged_in, on_login_failed  # noqa: PLC0415

        # The login policy learns the outcome of the attempts it admitted (see middleware.py).
        user_login_failed.connect(on_login_failed, dispatch_uid="clusterdesk-login-failed")
        user_logged_in.connect(on_logged_in, dispatch_uid="clusterdesk-logged-in")
