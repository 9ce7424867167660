"""The web app's one error handler: every error becomes JSON (under ``/api/``) or an HTML page.

A response never carries a traceback: curbside errors show their message (4xx) or a fixed sentence
(5xx); anything unexpected is logged on the server and answered with a generic 500.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response

from curbside.errors import CurbsideError, VerificationError
from curbside.web.security import SECURITY_HEADERS

log = logging.getLogger("curbside.web")

_SERVER_ERROR = "Something went wrong on our side. The error has been logged; please try again later."
_UNVERIFIED = "curbside could not verify an answer to this question against its sources, so it shows none."


def _code(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _describe(exc: Exception) -> tuple[int, str, str, dict[str, str], list[dict] | None]:
    """(status, error code, message, extra headers, details) for any exception."""
    if isinstance(exc, CurbsideError):
        status = exc.http_status
        headers = {}
        if getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)  # type: ignore[attr-defined]
        if status >= 500:
            log.error("%s: %s", type(exc).__name__, exc.message)
            message = _UNVERIFIED if isinstance(exc, VerificationError) else _SERVER_ERROR
        else:
            message = exc.message
        return status, _code(type(exc).__name__), message, headers, None
    if isinstance(exc, RequestValidationError):
        details = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        if any(d["type"] == "json_invalid" for d in details):
            return 400, "usage_error", "The request body is not valid JSON.", {}, details
        where = "; ".join(f"{'.'.join(d['loc'][1:]) or d['loc'][0] if d['loc'] else 'request'}: {d['msg']}"
                          for d in details[:5])
        return 422, "validation_error", f"Invalid request: {where}", {}, details
    if isinstance(exc, StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        try:
            code = "input_too_large" if exc.status_code == 413 else _code(HTTPStatus(exc.status_code).phrase.replace(" ", "").replace("-", ""))
        except ValueError:
            code = "http_error"
        return exc.status_code, code, message, dict(exc.headers or {}), None
    log.exception("unhandled error", exc_info=exc)
    return 500, "server_error", _SERVER_ERROR, {}, None


def wants_json(request: Request) -> bool:
    """API paths answer in JSON, pages in HTML."""
    return request.url.path.startswith("/api/")


def error_response(request: Request, exc: Exception) -> Response:
    """The response for ``exc``: JSON ``{"error", "message"}`` for the API, an error page otherwise."""
    status, code, message, headers, details = _describe(exc)
    headers = {**SECURITY_HEADERS, **headers}
    if wants_json(request):
        body: dict = {"error": code, "message": message}
        if details is not None:
            body["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    try:
        templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status, headers=headers
        )
    except Exception:  # the error page itself failed: fall back to plain text, still no traceback
        log.exception("error page failed")
        return PlainTextResponse(message, status_code=status, headers=headers)


async def _handle(request: Request, exc: Exception) -> Response:
    return error_response(request, exc)


def install_error_handler(app: FastAPI) -> None:
    """Routes every kind of error through :func:`error_response`."""
    for kind in (CurbsideError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(kind, _handle)
