"""The REST API, documented by the OpenAPI schema at /api/v1/openapi.json (browsable at /api/v1/docs)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from membersuccess.api.interactions import router as interactions_router
from membersuccess.api.outreach import router as outreach_router
from membersuccess.api.potential import router as potential_router
from membersuccess.api.problems import refuse_nul_characters
from membersuccess.api.renewals import router as renewals_router

api = NinjaAPI(
    title="Member Success API",
    version="1",
    description="Push interactions from other systems and read member success data. "
    "Authenticate with a scoped API token: `Authorization: Bearer msm_...`.",
    docs_decorator=login_required,
)
# Before any operation runs: text with a NUL character is refused (PostgreSQL cannot hold it).
api.add_decorator(refuse_nul_characters)
api.add_router("/interactions", interactions_router)
api.add_router("/outreach", outreach_router)
api.add_router("/potential", potential_router)
api.add_router("/renewals", renewals_router)


@api.exception_handler(RequestDataTooBig)
def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "the request body is too large; send smaller batches"}, status=413)
