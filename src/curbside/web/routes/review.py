"""The review pages of the medical advisory board: queue, article with sources, diff, editor, actions, audit.

Thin: each route checks who is signed in (deps in ``auth``), calls ``curbside.review`` and renders.
Every form post needs the CSRF token (``auth.CsrfProtected``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from curbside.errors import PermissionDenied, UsageError
from curbside.review import queries, workflow
from curbside.web.routes.auth import CsrfProtected, ReviewDep, SignedIn, csrf_token, set_csrf_cookie

router = APIRouter(prefix="/review", include_in_schema=False)

Status = Annotated[str | None, Query(pattern="^(submitted|under_review|changes_requested|approved)$")]
Comment = Annotated[str, Form(max_length=workflow.MAX_COMMENT)]
_MAX_ID = 2**31 - 1  # the database's integer range
ArticleId = Annotated[int, Path(ge=1, le=_MAX_ID)]
VersionField = Annotated[int, Form(ge=1, le=_MAX_ID)]
VersionQuery = Annotated[int, Query(ge=1, le=_MAX_ID)]


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    context = {**context, "csrf": csrf_token(request), "STATUS_LABELS": workflow.STATUS_LABELS}
    response = request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return set_csrf_cookie(request, response)


def _back(article_id: int, note: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"/review/articles/{article_id}" + (f"?done={note}" if note else ""), status_code=303)


@router.get("", response_class=HTMLResponse, name="review_queue")
def review_queue(request: Request, account: SignedIn, service: ReviewDep, status: Status = None) -> Response:
    rows, counts = queries.queue(service.db, status=status)
    return _render(request, "review/queue.html", {"account": account, "rows": rows, "counts": counts,
                                                  "status": status, "statuses": workflow.STATUSES})


@router.get("/articles/{article_id}", response_class=HTMLResponse, name="review_article")
def review_article(request: Request, article_id: ArticleId, account: SignedIn, service: ReviewDep,
                   done: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    view = queries.article_view(service.db, article_id=article_id)
    return _render(request, "review/article.html", {"account": account, "view": view, "done": done})


@router.get("/articles/{article_id}/diff", response_class=HTMLResponse)
def review_diff(request: Request, article_id: ArticleId, account: SignedIn, service: ReviewDep,
                old: VersionQuery, new: VersionQuery) -> Response:
    lines = queries.version_diff(service.db, article_id=article_id, old=old, new=new)
    view = queries.article_view(service.db, article_id=article_id)
    return _render(request, "review/diff.html", {"account": account, "view": view, "lines": lines, "old": old,
                                                 "new": new})


@router.get("/articles/{article_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, article_id: ArticleId, account: SignedIn, service: ReviewDep) -> Response:
    if not account.can_edit:
        raise PermissionDenied("only editors and reviewers can edit articles")
    view = queries.article_view(service.db, article_id=article_id)
    return _render(request, "review/edit.html", {"account": account, "view": view, "error": None, "form": {}})


@router.post("/articles/{article_id}/edit", dependencies=[CsrfProtected])
async def edit_save(request: Request, article_id: ArticleId, account: SignedIn, service: ReviewDep) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    version = form.get("version", "")
    if not version.isdigit() or not 1 <= int(version) <= _MAX_ID:
        raise UsageError("the form does not say which version it edits")
    version = int(version)
    try:
        workflow.edit(service.db, account=account, article_id=article_id, version=version, form=form,
                      comment=form.get("comment"))
    except UsageError as exc:  # show the editor what was refused, with their text kept
        view = queries.article_view(service.db, article_id=article_id)
        return _render(request, "review/edit.html", {"account": account, "view": view, "error": exc.message,
                                                     "form": form}, status_code=400)
    return _back(article_id, "edited")


@router.post("/articles/{article_id}/start", dependencies=[CsrfProtected])
def start(article_id: ArticleId, account: SignedIn, service: ReviewDep) -> Response:
    workflow.start_review(service.db, account=account, article_id=article_id)
    return _back(article_id, "started")


@router.post("/articles/{article_id}/submit", dependencies=[CsrfProtected])
def submit(article_id: ArticleId, account: SignedIn, service: ReviewDep, comment: Comment = "") -> Response:
    workflow.submit(service.db, account=account, article_id=article_id, comment=comment)
    return _back(article_id, "submitted")


@router.post("/articles/{article_id}/approve", dependencies=[CsrfProtected])
def approve(article_id: ArticleId, account: SignedIn, service: ReviewDep, version: VersionField,
            comment: Comment = "") -> Response:
    workflow.approve(service.db, account=account, article_id=article_id, version=version, comment=comment)
    return _back(article_id, "approved")


@router.post("/articles/{article_id}/request-changes", dependencies=[CsrfProtected])
def request_changes(article_id: ArticleId, account: SignedIn, service: ReviewDep, version: VersionField,
                    comment: Comment = "") -> Response:
    workflow.request_changes(service.db, account=account, article_id=article_id, version=version, comment=comment)
    return _back(article_id, "changes-requested")


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, account: SignedIn, service: ReviewDep) -> Response:
    if not account.can_audit:
        raise PermissionDenied("only admins can read the audit log")
    from curbside.store import audit

    with service.db.transaction() as s:
        entries = [audit.as_dict(e) for e in audit.entries(s, limit=500)]
    return _render(request, "review/audit.html", {"account": account, "entries": entries})


@router.get("/audit.jsonl")
def audit_export(account: SignedIn, service: ReviewDep) -> Response:
    if not account.can_audit:
        raise PermissionDenied("only admins can export the audit log")
    from curbside.store import audit

    with service.db.transaction() as s:
        body = "".join(audit.jsonl(s))
    return StreamingResponse(iter([body]), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="curbside-audit.jsonl"',
                                      "Cache-Control": "no-store"})
