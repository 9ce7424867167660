"""Sign-in for the medical advisory board: login, logout, the session cookie, CSRF, and the review deps.

* The session cookie ``curbside_session`` holds a random token; the database keeps only its SHA-256,
  so logging out (or an admin deleting the row) ends the session on every instance at once. The cookie
  is HttpOnly, SameSite=Strict, and Secure outside development.
* Every form carries ``csrf_token`` = HMAC(web.secret_key, the ``curbside_csrf`` cookie's nonce). A form
  post without it, or with another browser's, is refused (403). The nonce is replaced at login.
* Pages that need an account redirect readers to ``/login``; form posts answer 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from curbside.errors import PermissionDenied, UsageError
from curbside.review import accounts
from curbside.review.accounts import Account, LoginFailed
from curbside.web.deps import RateLimit

router = APIRouter(include_in_schema=False)

SESSION_COOKIE = "curbside_session"
CSRF_COOKIE = "curbside_csrf"
_install_lock = threading.Lock()


# ---- wiring -------------------------------------------------------------------------
def install(app) -> None:
    """Answers go through the article store: the app's engine becomes a :class:`ReviewService`.

    Only the real engine is wrapped; a stand-in engine passed to ``create_app`` is used as given.
    Nothing touches the database until the first request or :func:`warm`.
    """
    app.state.review = None
    if app.state.engine is None:
        from curbside.review.service import ReviewService
        from curbside.store.db import Database, database_url

        settings = app.state.settings

        def real_engine():
            from curbside.engine import get_engine

            return get_engine(settings)

        app.state.review = ReviewService(Database(database_url(settings)), real_engine)
        app.state.engine = app.state.review


_DEFAULT_SECRET = "dev-insecure-secret"


def check_secret(settings) -> None:
    """Refuses to serve login pages outside development with the default or a short secret key."""
    key = settings.web.secret_key
    if settings.environment != "development" and (key == _DEFAULT_SECRET or len(key) < 32):
        raise UsageError("set CURBSIDE_WEB__SECRET_KEY to a random value of at least 32 characters "
                         f"(environment is {settings.environment!r}); it signs the review forms' CSRF tokens")


def warm(app) -> None:
    """At start-up: migrate the database, load the knowledge base, send back articles whose topic changed."""
    check_secret(app.state.settings)
    service = app.state.review
    if service is None:
        from curbside.web.deps import engine_for

        engine_for(app)
        return
    service.ready()
    from curbside.review.service import current_topic_hashes

    service.recheck_topics(current_topic_hashes(service.engine))


def _service(request: Request):
    service = request.app.state.review
    if service is None:  # a stand-in engine: open the store beside it
        with _install_lock:
            service = request.app.state.review
            if service is None:
                from curbside.review.service import ReviewService
                from curbside.store.db import Database, database_url

                service = request.app.state.review = ReviewService(
                    Database(database_url(request.app.state.settings)), request.app.state.engine)
    service.ready()
    return service


# ---- session and CSRF ---------------------------------------------------------------
def _secure(request: Request) -> bool:
    return request.app.state.settings.environment != "development"


def csrf_token(request: Request) -> str:
    """The CSRF token for this browser's forms (sets the nonce cookie on the response via state)."""
    nonce = getattr(request.state, "csrf_nonce", None) or request.cookies.get(CSRF_COOKIE)
    if not nonce or len(nonce) > 100:
        nonce = secrets.token_urlsafe(24)
    request.state.csrf_nonce = nonce
    return _sign(request, nonce)


def _sign(request: Request, nonce: str) -> str:
    key = request.app.state.settings.web.secret_key.encode()
    return hmac.new(key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def set_csrf_cookie(request: Request, response: Response) -> Response:
    """Stores the nonce the page's forms were signed with, if it is new."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and nonce != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", secure=_secure(request), path="/")
    return response


def require_csrf(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> None:
    """Refuses a form post whose CSRF token is missing or does not match this browser's nonce."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not csrf_token or not nonce or not hmac.compare_digest(csrf_token, _sign(request, nonce)):
        raise PermissionDenied("This form could not be accepted: its security token is missing or has expired. "
                               "Reload the page and try again.")


def _current(request: Request) -> Account | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return accounts.account_for_token(_service(request).db, token=token)


def _login_redirect(request: Request) -> HTTPException:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return HTTPException(303, "Please log in.", headers={"Location": f"/login?next={quote(target, safe='')}"})


def _signed_in(request: Request) -> Account:
    account = _current(request)
    if account is None:
        if request.method == "GET":
            raise _login_redirect(request)
        raise PermissionDenied("Log in as a member of the medical advisory board to do this.")
    return account


ReviewDep = Annotated[object, Depends(_service)]
MaybeAccount = Annotated[Account | None, Depends(_current)]
SignedIn = Annotated[Account, Depends(_signed_in)]
CsrfProtected = Depends(require_csrf)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/review"


# ---- routes --------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse, name="login")
def login_page(request: Request, account: MaybeAccount, next: str | None = None) -> Response:
    context = {"account": account, "next": _safe_next(next), "error": None, "email": "", "csrf": csrf_token(request)}
    response = request.app.state.templates.TemplateResponse(request, "review/login.html", context)
    return set_csrf_cookie(request, response)


@router.post("/login", dependencies=[RateLimit, CsrfProtected])
async def login(
    request: Request, service: ReviewDep,
    email: Annotated[str, Form(max_length=254)] = "", password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/review",
) -> Response:
    try:
        account = await run_in_threadpool(accounts.authenticate, service.db, email=email, password=password)
    except LoginFailed as exc:
        context = {"account": None, "next": _safe_next(next), "error": exc.message, "email": email,
                   "csrf": csrf_token(request)}
        response = request.app.state.templates.TemplateResponse(request, "review/login.html", context, status_code=401)
        return set_csrf_cookie(request, response)
    token = await run_in_threadpool(accounts.start_session, service.db, account=account)
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = _secure(request)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(accounts.SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="strict", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24), httponly=True, samesite="strict", secure=secure,
                        path="/")  # a new nonce: tokens from before login stop working
    return response


@router.post("/logout", dependencies=[CsrfProtected])
def logout(request: Request, service: ReviewDep) -> Response:
    accounts.end_session(service.db, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response
