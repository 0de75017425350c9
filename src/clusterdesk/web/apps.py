from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clusterdesk.web"
    verbose_name = "网站基础"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from clusterdesk.web.middleware import renew_on_login  # noqa: PLC0415

        user_logged_in.connect(renew_on_login, dispatch_uid="clusterdesk.web.renew_on_login")
