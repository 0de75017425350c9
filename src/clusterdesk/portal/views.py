from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterdesk.rounds.domain import open_rounds

PRODUCT_NAME = "中小企业特色产业集群申报认定平台"


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"product_name": PRODUCT_NAME, "open_rounds": list(open_rounds())},
    )
