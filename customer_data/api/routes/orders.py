"""Orders and the records that hang off them: list, read, cancel, re-address, refund.

Every path is scoped by customer: an order id that exists but belongs to someone else is a 404,
exactly like one that does not exist.
"""

from typing import List, Optional

from fastapi import APIRouter, Request

from customer_data import orders_service, schemas
from customer_data.api.routes.common import (
    DEFAULT_LIMIT,
    Client,
    CustomerId,
    Limit,
    OrderId,
    changing,
    container_of,
    now,
    reading,
)
from customer_data.profiles import list_records

router = APIRouter(tags=["orders"])
ORDER_PATH = "/customers/{customer_id}/orders/{order_id}"


@router.get("/customers/{customer_id}/orders", response_model=List[schemas.OrderSummary])
def list_orders(
    request: Request, customer_id: CustomerId, limit: Limit = DEFAULT_LIMIT
) -> List[schemas.OrderSummary]:
    """The customer's orders, newest first."""
    with reading(container_of(request)) as session:
        return orders_service.list_orders(session, customer_id, limit)


@router.get(ORDER_PATH, response_model=schemas.OrderOut)
def get_order(request: Request, customer_id: CustomerId, order_id: OrderId) -> schemas.OrderOut:
    """One order with its lines and status history."""
    with reading(container_of(request)) as session:
        return orders_service.get_order(session, customer_id, order_id)


@router.get(ORDER_PATH + "/cancellation-fee", response_model=schemas.CancellationQuote)
def quote_cancellation(
    request: Request, customer_id: CustomerId, order_id: OrderId
) -> schemas.CancellationQuote:
    """Whether the order can be cancelled now, and the fee (free within 24 hours)."""
    container = container_of(request)
    with reading(container) as session:
        return orders_service.quote_cancellation(session, customer_id, order_id, now(container))


@router.post(ORDER_PATH + "/cancel", response_model=schemas.CancelOrderResult)
def cancel_order(
    request: Request,
    customer_id: CustomerId,
    order_id: OrderId,
    client: Client,
    body: Optional[schemas.CancelOrderRequest] = None,
) -> schemas.CancelOrderResult:
    """Cancels a pending or processing order for the quoted fee (409 otherwise; body optional)."""
    container = container_of(request)
    with changing(container, customer_id) as session:
        return orders_service.cancel_order(
            session,
            customer_id,
            order_id,
            body or schemas.CancelOrderRequest(),
            client,
            now(container),
        )


@router.put(ORDER_PATH + "/shipping-address", response_model=schemas.OrderOut)
def change_shipping_address(
    request: Request,
    customer_id: CustomerId,
    order_id: OrderId,
    body: schemas.ShippingAddressChange,
    client: Client,
) -> schemas.OrderOut:
    """Sets a new delivery address while the order has not shipped (409 otherwise)."""
    container = container_of(request)
    with changing(container, customer_id) as session:
        return orders_service.change_shipping_address(
            session, customer_id, order_id, body, client, now(container)
        )


@router.post(ORDER_PATH + "/refunds", response_model=schemas.RefundOut, status_code=201)
def request_refund(
    request: Request,
    customer_id: CustomerId,
    order_id: OrderId,
    body: schemas.RefundRequest,
    client: Client,
) -> schemas.RefundOut:
    """Asks for a refund of a delivered order within 30 days (409 otherwise)."""
    container = container_of(request)
    with changing(container, customer_id) as session:
        return orders_service.request_refund(
            session, customer_id, order_id, body, client, now(container)
        )


def _records_route(kind: str, schema: type, summary: str) -> None:
    def list_kind(request: Request, customer_id: CustomerId, limit: Limit = DEFAULT_LIMIT) -> list:
        with reading(container_of(request)) as session:
            return list_records(session, customer_id, kind, limit)

    list_kind.__name__ = f"list_{kind}"
    list_kind.__doc__ = f"{summary}, newest first."
    router.add_api_route(
        f"/customers/{{customer_id}}/{kind}",
        list_kind,
        methods=["GET"],
        response_model=List[schema],
        summary=summary,
    )


_records_route("refunds", schemas.RefundOut, "The customer's refunds")
_records_route("invoices", schemas.InvoiceOut, "The customer's invoices")
_records_route("payments", schemas.PaymentOut, "The customer's payment attempts")
_records_route("tickets", schemas.TicketOut, "The customer's support tickets")
