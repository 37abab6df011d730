"""The handoff queue over HTTP: the assistant queues conversations, agents work them.

The assistant's client creates handoffs and relays what the customer writes meanwhile; only clients
named in `CUSTOMER_DATA_AGENT_CLIENTS` may list the queue, read a handoff (with the profile, which
is audited), reply, claim, close or hand back. Replies and endings are delivered into the
conversation after they are committed; the response says whether delivery worked.
"""

from typing import List, Optional

from fastapi import APIRouter, Depends, Path, Query, Request
from typing_extensions import Annotated

from customer_data import audit
from customer_data.api.errors import FORBIDDEN, ApiError
from customer_data.api.routes.common import Client, audit_log, container_of, now, reading
from customer_data.bootstrap import Container
from customer_data.db import unit_of_work
from customer_data.handoffs import schemas, service
from customer_data.handoffs.business_hours import BusinessHours
from customer_data.handoffs.delivery import RasaConversationDelivery

HANDOFF_DESK = "handoff_desk"  # key in Container.extras
HANDOFF_READ_REASON = "handoff"

router = APIRouter(tags=["handoffs"])

HandoffId = Annotated[int, Path(ge=1, description="Handoff id.")]


def handoff_desk(container: Container) -> service.HandoffDesk:
    """The queue's collaborators, built once from settings (tests put their own in extras)."""
    desk = container.extras.get(HANDOFF_DESK)
    if desk is None:
        settings = container.settings
        desk = service.HandoffDesk(
            hours=BusinessHours.parse(settings.business_hours, settings.business_time_zone),
            agents_on_shift=settings.agents_on_shift,
            handling_minutes=settings.handling_minutes,
            delivery=RasaConversationDelivery(settings.rasa_url, settings.rasa_api_token or None),
        )
        container.extras[HANDOFF_DESK] = desk
    return desk


def agent_client(request: Request, client: Client) -> str:
    """The calling client, if it may act as an agent; otherwise 403."""
    if client not in container_of(request).settings.agent_client_ids():
        raise ApiError(403, FORBIDDEN, f"client {client!r} may not work the handoff queue")
    return client


AgentClient = Annotated[str, Depends(agent_client)]


@router.get("/handoffs/availability", response_model=schemas.Availability)
def get_availability(request: Request) -> schemas.Availability:
    """Whether agents work now, when they next start, and the expected wait."""
    container = container_of(request)
    with reading(container) as session:
        return service.availability(session, handoff_desk(container), now(container))


@router.post("/handoffs", response_model=schemas.HandoffOut, status_code=201)
def create_handoff(request: Request, body: schemas.HandoffCreate) -> schemas.HandoffOut:
    """Queues a conversation for an agent with priority, SLA, summary and transcript.

    Idempotent per conversation: while a handoff is open, the same one is returned.
    """
    container = container_of(request)
    with unit_of_work(container.session_factory) as session:
        return service.create_handoff(session, body, handoff_desk(container), now(container))


@router.post(
    "/handoffs/customer-messages", response_model=schemas.HandoffMessageOut, status_code=201
)
def add_customer_message(
    request: Request, body: schemas.CustomerMessage
) -> schemas.HandoffMessageOut:
    """Appends what the customer wrote to the conversation's open handoff (404 if none)."""
    container = container_of(request)
    with unit_of_work(container.session_factory) as session:
        return service.append_customer_message(
            session, body.conversation_id, body.text, now(container)
        )


@router.get("/handoffs", response_model=List[schemas.HandoffOut])
def list_handoffs(
    request: Request,
    _agent: AgentClient,
    status: Annotated[
        Optional[List[str]], Query(description="Statuses to list (default: queued, assigned).")
    ] = None,
) -> List[schemas.HandoffOut]:
    """The queue: most urgent first, then longest waiting."""
    status = status or list(service.OPEN_STATUSES)
    unknown = sorted(set(status) - set(schemas.STATUSES))
    if unknown:
        raise ApiError(
            422, "validation_error", f"unknown status: {', '.join(unknown)}", [{"loc": ["query"]}]
        )
    container = container_of(request)
    with reading(container) as session:
        return service.list_queue(session, handoff_desk(container), now(container), status)


@router.get("/handoffs/{handoff_id}", response_model=schemas.HandoffDetail)
def get_handoff(
    request: Request, handoff_id: HandoffId, agent: AgentClient
) -> schemas.HandoffDetail:
    """Everything an agent needs: summary, transcript, and the customer's profile (audited)."""
    container = container_of(request)
    with reading(container) as session:
        detail = service.get_handoff(session, handoff_id, handoff_desk(container), now(container))
    if detail.customer_id:
        audit_log(container).record(
            agent, audit.READ_PROFILE, detail.customer_id, "profile", HANDOFF_READ_REASON
        )
    return detail


@router.post("/handoffs/{handoff_id}/claim", response_model=schemas.HandoffOut)
def claim_handoff(
    request: Request, handoff_id: HandoffId, body: schemas.AgentAction, _agent: AgentClient
) -> schemas.HandoffOut:
    """An agent takes the handoff; 409 if another agent has it or it is finished."""
    container = container_of(request)
    with unit_of_work(container.session_factory) as session:
        return service.claim(
            session, handoff_id, body.agent, handoff_desk(container), now(container)
        )


@router.post(
    "/handoffs/{handoff_id}/messages", response_model=schemas.AgentMessageOut, status_code=201
)
def reply(
    request: Request, handoff_id: HandoffId, body: schemas.AgentMessage, _agent: AgentClient
) -> schemas.AgentMessageOut:
    """Stores the agent's reply and delivers it into the customer's conversation."""
    container = container_of(request)
    desk = handoff_desk(container)
    with unit_of_work(container.session_factory) as session:
        conversation_id, message = service.reply(
            session, handoff_id, body.agent, body.text, now(container)
        )
    delivered = desk.delivery.send_agent_message(conversation_id, body.agent, body.text)
    if delivered:
        with unit_of_work(container.session_factory) as session:
            service.mark_delivered(session, message.id, now(container))
        message.delivered_at = now(container)
    return schemas.AgentMessageOut(**message.dict(), delivered=delivered)


def _finish(request: Request, handoff_id: int, agent: str, hand_back: bool):
    container = container_of(request)
    desk = handoff_desk(container)
    with unit_of_work(container.session_factory) as session:
        action, handoff = service.finish(
            session, handoff_id, agent, hand_back, desk, now(container)
        )
    delivered = desk.delivery.run_action(handoff.conversation_id, action)
    return schemas.HandoffTransition(handoff=handoff, delivered=delivered)


@router.post("/handoffs/{handoff_id}/close", response_model=schemas.HandoffTransition)
def close_handoff(
    request: Request, handoff_id: HandoffId, body: schemas.AgentAction, _agent: AgentClient
) -> schemas.HandoffTransition:
    """The agent resolved it; the assistant resumes and asks how satisfied the customer was."""
    return _finish(request, handoff_id, body.agent, hand_back=False)


@router.post("/handoffs/{handoff_id}/hand-back", response_model=schemas.HandoffTransition)
def hand_back(
    request: Request, handoff_id: HandoffId, body: schemas.AgentAction, _agent: AgentClient
) -> schemas.HandoffTransition:
    """Returns the conversation to the assistant, which resumes where it is."""
    return _finish(request, handoff_id, body.agent, hand_back=True)
