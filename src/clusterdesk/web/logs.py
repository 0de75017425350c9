"""Log records that say which request they belong to, as text or as JSON lines.

The request id lives in a context variable that ``RequestIdMiddleware`` sets for the duration of
one request; ``RequestIdFilter`` copies it onto every record (``-`` outside a request), so the
id appears beside Django's "Internal Server Error" and its stack trace, and in our own messages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime

from clusterdesk.conf import ConfigError

current_request_id: ContextVar[str] = ContextVar("clusterdesk_request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx answer after the middleware has finished, but passes the request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors (``CLUSTERDESK_LOG_FORMAT=json``)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
        }
        status = getattr(record, "status_code", None)  # Django's django.request records
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def logging_from_env(environ: Mapping[str, str]) -> dict:
    """``LOGGING`` from CLUSTERDESK_LOG_FORMAT (text, json) and CLUSTERDESK_LOG_LEVEL (INFO)."""
    log_format = environ.get("CLUSTERDESK_LOG_FORMAT", "text").strip().lower()
    if log_format not in {"text", "json"}:
        raise ConfigError(
            f"环境变量 CLUSTERDESK_LOG_FORMAT 应为 text 或 json，当前为 {log_format!r}"
        )
    level = environ.get("CLUSTERDESK_LOG_LEVEL", "INFO").strip().upper()
    if level not in LEVELS:
        raise ConfigError(
            f"环境变量 CLUSTERDESK_LOG_LEVEL 应为 {'、'.join(LEVELS)} 之一，当前为 {level!r}"
        )
    return logging_config(log_format, level)


def logging_config(log_format: str, level: str) -> dict:
    """``LOGGING`` for settings.py: everything to stderr, with the request id on every line.

    Django's own loggers keep their levels but lose the debug-only console handler, so a 500 is
    printed with its stack trace whether DEBUG is on or off (and no e-mail is attempted).
    """
    formatter = "json" if log_format == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": JsonFormatter},
            "django.server": {  # as in Django's DEFAULT_LOGGING, which this replaces
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": formatter,
            },
            "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "level": level, "propagate": True},
            # runserver's access log keeps Django's own format.
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        },
    }
