"""Errors a user can cause, and how they are reported.

    CurbsideError                 exit 1, HTTP 500 (never shows a traceback)
    ├── UsageError                exit 2, HTTP 400  bad input: empty question, bad option
    │   └── InputTooLarge         exit 2, HTTP 413
    ├── NotFound                  exit 3, HTTP 404  no such article, topic, source
    ├── KnowledgeBaseError        exit 4, HTTP 500  a topic file is malformed
    ├── VerificationError         exit 5, HTTP 500  an answer would show an uncited claim
    ├── PermissionDenied          exit 6, HTTP 403
    ├── Conflict                  exit 7, HTTP 409
    └── RateLimited               exit 8, HTTP 429

"Not enough evidence" is not an error: it is an ``Answer`` with ``coverage="not_covered"``.
"""

from __future__ import annotations


class CurbsideError(Exception):
    """Base class: carries a message fit for a user, an exit code and an HTTP status."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CurbsideError):
    exit_code = 2
    http_status = 400


class InputTooLarge(UsageError):
    http_status = 413


class NotFound(CurbsideError):
    exit_code = 3
    http_status = 404


class KnowledgeBaseError(CurbsideError):
    exit_code = 4


class VerificationError(CurbsideError):
    exit_code = 5


class PermissionDenied(CurbsideError):
    exit_code = 6
    http_status = 403


class Conflict(CurbsideError):
    exit_code = 7
    http_status = 409


class RateLimited(CurbsideError):
    exit_code = 8
    http_status = 429
