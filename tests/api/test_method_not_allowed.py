"""A method a path does not take: 405 in the API's own form (JSON, Chinese), Allow kept."""

import pytest


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/rounds", {"GET"}),
        ("post", "/api/v1/applications/1", {"GET", "PATCH"}),
        ("put", "/api/v1/certified", {"GET"}),
    ],
)
def test_a_wrong_method_is_answered_in_chinese(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert f"此地址不支持 {method.upper()} 方法" in detail
    assert {m.strip() for m in response["Allow"].split(",")} == allowed
    assert all(m in detail for m in allowed)
