"""Satisfaction ratings (CSAT) the assistant collects, and their summary for reports."""

from typing import List

from fastapi import APIRouter, Request

from customer_data import satisfaction
from customer_data.api.routes.common import container_of, now, reading
from customer_data.db import unit_of_work
from customer_data.handoffs import schemas

router = APIRouter(tags=["satisfaction"])


@router.post("/satisfaction", response_model=schemas.RatingOut, status_code=201)
def record_rating(request: Request, body: schemas.RatingCreate) -> schemas.RatingOut:
    """Stores a 1-5 rating with the conversation, segment, flow and whether a human helped."""
    container = container_of(request)
    with unit_of_work(container.session_factory) as session:
        return satisfaction.record_rating(session, body, now(container))


@router.get("/satisfaction/summary", response_model=List[schemas.RatingSummaryRow])
def rating_summary(request: Request) -> List[schemas.RatingSummaryRow]:
    """Number of ratings and the average per flow, with and without a human."""
    with reading(container_of(request)) as session:
        return satisfaction.summarize(session)
