"""makertime in the browser and over HTTP (``makertime serve``): FastAPI routes that call the
application layer (``makertime.app``), server-rendered pages with vendored assets, and the REST
API under ``/api/v1``. No logic lives here that a library user could not call."""

from __future__ import annotations

from makertime.web.app import create_app
from makertime.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
