"""The REST API (OpenAPI served at /api/v1/docs)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Member Success API", version="1")
