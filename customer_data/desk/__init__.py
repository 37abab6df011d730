"""Pages for people, served by the customer data service: the agent desk and the chat web page.

`install(app, settings)` adds `/desk` (agents work the handoff queue), `/webchat/` (the customer
page with the chat widget) and, only in development mode, `/dev/...` (demo sign-in).
"""

from fastapi import FastAPI

from customer_data.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Mounts the desk and the web page; the development helpers only when `DEV_MODE` is on."""
    from customer_data.desk import routes, webchat

    app.include_router(routes.router)
    app.include_router(webchat.page_router)
    if settings.dev_mode:
        app.include_router(webchat.dev_router)
