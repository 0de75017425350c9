from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterdesk.recheck.domain.due import due_count
from clusterdesk.recheck.permissions import VIEW as RECHECK_VIEW
from clusterdesk.rounds.domain import open_rounds

PRODUCT_NAME = "中小企业特色产业集群申报认定平台"


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "product_name": PRODUCT_NAME,
            "open_rounds": list(open_rounds()),
            # The city's count of clusters due for 复核 (one query), linking to the due list.
            "recheck_due": None if RECHECK_VIEW.refusal(request.user) else due_count(),
        },
    )
