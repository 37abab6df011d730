"""CRM webhooks (placeholder router; the implementation replaces this module)."""

from fastapi import APIRouter

router = APIRouter()
