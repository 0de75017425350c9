"""Every refusal of the API as JSON ``{"detail": "<Chinese>"}`` with the status that fits.

Ninja's own answers (English, pydantic's error list) are replaced: a validation error names the
field and says in Chinese what is wrong with it; 404 says what was not found.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from clusterdesk.api.auth import Throttled
from clusterdesk.api.tokens import TokenRefused

# pydantic's error types, as the field's reader should hear them.
MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文字",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
}
# Where a value came from is not part of its name for the reader.
SOURCES = {"query", "body", "path", "header", "cookie", "form", "file"}


class Refused(Exception):
    """An endpoint's refusal: ``status``, the Chinese ``message`` and any ``more`` fields (a
    save's conflicts) beside it in the JSON answer."""

    def __init__(self, status: int, message: str, **more: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.more = status, message, more


def field_name(loc: Any) -> str:
    parts = [str(part) for part in loc if str(part) not in SOURCES]
    return ".".join(parts) or "请求"


def message_of(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error.get("type", ""), "取值无效")
    try:
        text = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        text = "取值无效"
    return f"{field_name(error.get('loc', ()))}：{text}"


def detail(api: NinjaAPI, request: HttpRequest, status: int, message: str, **more: Any):
    return api.create_response(request, {"detail": message, **more}, status=status)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        messages = [message_of(error) for error in exc.errors]
        errors = [
            {"field": field_name(e.get("loc", ())), "message": m}
            for e, m in zip(exc.errors, messages, strict=True)
        ]
        return detail(api, request, 422, "；".join(messages), errors=errors)

    @api.exception_handler(Refused)
    def refused_by_endpoint(request: HttpRequest, exc: Refused) -> HttpResponse:
        return detail(api, request, exc.status, exc.message, **exc.more)

    @api.exception_handler(TokenRefused)
    def refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
        response = detail(api, request, 401, exc.message)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "需要接口令牌：请在请求头中加入 Authorization: Bearer <令牌>。"
        response = detail(api, request, 401, message)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        message = f"请求过于频繁，请 {exc.retry_after} 秒后再试。"
        response = detail(api, request, 429, message)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        text = str(exc)
        # Ninja's own 404 (an unknown path) carries no Chinese text.
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
        return detail(api, request, 404, text if chinese else "找不到该资源。")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return detail(api, request, exc.status_code, str(exc))
