"""ASGI entry point: HTTP through Django, websockets through Channels, plus the embedded
worker, started on the first connection because daphne has no lifespan events."""
from __future__ import annotations

import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soar.settings")

from soar.request_threads import get_pooled_asgi_application  # noqa: E402

# Must run before importing anything touching models.
django_asgi_app = get_pooled_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from soar.routing import websocket_urlpatterns  # noqa: E402
from soar.ws_auth import TokenAuthMiddleware  # noqa: E402

router = ProtocolTypeRouter({
    "http": django_asgi_app,
    # The origin check is the protection against cross-site websocket hijacking.
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))),
})


class EmbeddedWorker:
    """Start the in-process worker with the first scope, when an event loop is running."""

    def __init__(self, app: Any) -> None:
        self.app = app
        # Under pytest the ASGI app is driven in-process by websocket tests, which run their
        # tasks themselves (engine.execution.worker.drain): worker threads started there
        # would outlive the test and take the tasks of the tests after it.
        self.started = not settings.SOAR_EMBEDDED_WORKER or "pytest" in sys.modules

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.started:
            from engine.execution.worker import start_embedded

            self.started = True
            start_embedded(settings.SOAR_WORKER_THREADS)
        await self.app(scope, receive, send)


application = EmbeddedWorker(router)
