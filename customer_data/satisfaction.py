"""Customer satisfaction (CSAT): ratings of resolved flows and closed handoffs, summarized."""

from datetime import datetime
from typing import List

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from customer_data.handoffs import schemas
from customer_data.models import Customer, SatisfactionRating
from customer_data.orders_service import NotFound


def record_rating(
    session: Session, rating: schemas.RatingCreate, now: datetime
) -> schemas.RatingOut:
    """Stores one rating; the customer, when given, must exist."""
    if rating.customer_id is not None and session.get(Customer, rating.customer_id) is None:
        raise NotFound(f"no customer {rating.customer_id}")
    row = SatisfactionRating(**rating.dict(), at=now)
    session.add(row)
    session.flush()
    return schemas.RatingOut.from_orm(row)


def summarize(session: Session) -> List[schemas.RatingSummaryRow]:
    """Count and average rating per flow, split by whether a human was involved."""
    statement = (
        select(
            SatisfactionRating.flow,
            SatisfactionRating.human_involved,
            func.count(SatisfactionRating.id),
            func.avg(SatisfactionRating.rating),
        )
        .group_by(SatisfactionRating.flow, SatisfactionRating.human_involved)
        .order_by(SatisfactionRating.flow, SatisfactionRating.human_involved)
    )
    return [
        schemas.RatingSummaryRow(
            flow=flow, human_involved=human, ratings=count, average=round(float(average), 2)
        )
        for flow, human, count, average in session.execute(statement)
    ]
