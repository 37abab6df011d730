"""The agent desk at `/desk`: log in, work the handoff queue, reply, close, hand back.

Agents log in with a name and password (`DESK_AGENTS`); the session is a signed HttpOnly cookie.
The page polls `/desk/api/...`, which calls the same handoff functions as the agent API under
`/api/handoffs`, server-side: the browser never holds the service's bearer token. Profile reads
are audited under the actor `desk:<agent>`.
"""

from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from typing_extensions import Annotated

from customer_data.api.errors import ApiError
from customer_data.api.routes import handoffs
from customer_data.api.routes.common import container_of
from customer_data.bootstrap import Container
from customer_data.desk.passwords import hash_password, parse_agents, verify_password
from customer_data.desk.sessions import COOKIE_NAME, COOKIE_PATH, SessionSigner
from customer_data.handoffs import schemas

HERE = Path(__file__).resolve().parent
STATIC_FILES = {"desk.js", "desk.css"}
DESK_AGENTS = "desk_agents"  # keys in Container.extras
DESK_SESSIONS = "desk_sessions"
AUDIT_ACTOR_PREFIX = "desk:"
UNAUTHORIZED = "unauthorized"
MAX_LOGIN_BODY = 4096

templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(prefix="/desk", include_in_schema=False)


class ReplyBody(BaseModel):
    """What the agent typed."""

    text: schemas.Text


def _agents(container: Container) -> Dict[str, str]:
    agents = container.extras.get(DESK_AGENTS)
    if agents is None:
        agents = container.extras[DESK_AGENTS] = parse_agents(container.settings.desk_agents)
    return agents


def _signer(container: Container) -> SessionSigner:
    signer = container.extras.get(DESK_SESSIONS)
    if signer is None:
        settings = container.settings
        signer = SessionSigner(settings.desk_session_secret, settings.desk_session_hours * 3600)
        container.extras[DESK_SESSIONS] = signer
    return signer


def _logged_in(request: Request) -> Optional[str]:
    container = container_of(request)
    agent = _signer(container).agent(request.cookies.get(COOKIE_NAME))
    return agent if agent in _agents(container) else None


def api_agent(request: Request) -> str:
    """The logged-in agent for the desk's JSON calls; 401 without a valid session."""
    agent = _logged_in(request)
    if agent is None:
        raise ApiError(401, UNAUTHORIZED, "log in at /desk/login")
    return agent


Agent = Annotated[str, Depends(api_agent)]


@router.get("", response_class=HTMLResponse)
def desk_page(request: Request) -> Response:
    """The queue and conversation view; without a session, the login page."""
    agent = _logged_in(request)
    if agent is None:
        return RedirectResponse("/desk/login", status_code=303)
    return templates.TemplateResponse(request, "desk.html", {"agent": agent})


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The login form."""
    configured = bool(_agents(container_of(request)))
    return templates.TemplateResponse(request, "login.html", {"configured": configured})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Checks name and password (a form post) and starts a session."""
    body = (await request.body())[:MAX_LOGIN_BODY].decode("utf-8", errors="replace")
    form = {key: values[0] for key, values in parse_qs(body).items()}
    name, password = form.get("username", "").strip(), form.get("password", "")
    container = container_of(request)
    agents = _agents(container)
    # Hash even for an unknown name, so the answer time doesn't tell which names exist.
    encoded = agents.get(name) or _dummy_hash(container)
    if name not in agents or not verify_password(password, encoded):
        context = {"configured": bool(agents), "error": "Wrong name or password.", "name": name}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse("/desk", status_code=303)
    signer = _signer(container)
    response.set_cookie(
        COOKIE_NAME,
        signer.issue(name),
        max_age=signer.lifetime_seconds,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=container.settings.desk_cookie_secure,
    )
    return response


def _dummy_hash(container: Container) -> str:
    return container.extras.setdefault("desk_dummy_hash", hash_password("not-a-password"))


@router.post("/logout")
def logout() -> Response:
    """Ends the session."""
    response = RedirectResponse("/desk/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH)
    return response


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """The desk's script and style sheet."""
    if name not in STATIC_FILES:
        raise ApiError(404, "not_found", "no such file")
    return FileResponse(HERE / "static" / name, headers={"Cache-Control": "no-cache"})


@router.get("/api/handoffs", response_model=List[schemas.HandoffOut])
def queue(request: Request, agent: Agent) -> List[schemas.HandoffOut]:
    """Open handoffs, most urgent first, then longest waiting."""
    return handoffs.list_handoffs(request, agent, status=None)


@router.get("/api/handoffs/{handoff_id}", response_model=schemas.HandoffDetail)
def handoff(request: Request, handoff_id: handoffs.HandoffId, agent: Agent):
    """Summary, transcript and profile (the read is audited as `desk:<agent>`)."""
    return handoffs.get_handoff(request, handoff_id, AUDIT_ACTOR_PREFIX + agent)


@router.post("/api/handoffs/{handoff_id}/claim", response_model=schemas.HandoffOut)
def claim(request: Request, handoff_id: handoffs.HandoffId, agent: Agent):
    """The agent takes the handoff."""
    return handoffs.claim_handoff(request, handoff_id, schemas.AgentAction(agent=agent), agent)


@router.post(
    "/api/handoffs/{handoff_id}/messages",
    response_model=schemas.AgentMessageOut,
    status_code=201,
)
def reply(request: Request, handoff_id: handoffs.HandoffId, body: ReplyBody, agent: Agent):
    """Sends the agent's reply into the customer's conversation."""
    message = schemas.AgentMessage(agent=agent, text=body.text)
    return handoffs.reply(request, handoff_id, message, agent)


@router.post("/api/handoffs/{handoff_id}/close", response_model=schemas.HandoffTransition)
def close(request: Request, handoff_id: handoffs.HandoffId, agent: Agent):
    """Resolved: the assistant resumes and asks for a rating."""
    return handoffs.close_handoff(request, handoff_id, schemas.AgentAction(agent=agent), agent)


@router.post("/api/handoffs/{handoff_id}/hand-back", response_model=schemas.HandoffTransition)
def hand_back(request: Request, handoff_id: handoffs.HandoffId, agent: Agent):
    """The assistant takes the conversation back."""
    return handoffs.hand_back(request, handoff_id, schemas.AgentAction(agent=agent), agent)
