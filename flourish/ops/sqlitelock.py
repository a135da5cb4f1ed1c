"""On SQLite, a request that finds the database locked for longer than the busy timeout is
tried again from the start, and if it still cannot get in, answered with a 503 page that
says nothing was saved, never a 500.

- A request that may write (POST, PUT, PATCH, DELETE) runs whole in one transaction: with
  `transaction_mode=IMMEDIATE` its BEGIN takes the write lock before anything is read, so
  the only place "database is locked" can arise is that BEGIN, before anything was done.
  Retrying is then safe, and a request given up on has written nothing (the session, the
  messages and the audit entry included: they are in the same transaction).
- A view marked with Django's `transaction.non_atomic_requests` (the sign-in page, so that
  password hashing does not hold the lock) and a read (GET, HEAD) run as before; if one of
  their own short writes finds the lock held past the timeout, the whole request runs again.

PostgreSQL never returns "database is locked" (rows are locked, not the database): there
the middleware steps aside.
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import OperationalError, connection, transaction
from django.shortcuts import render
from django.urls import Resolver404, resolve

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
RETRY_AFTER_SECONDS = 5
_FAILED = "_flourish_database_locked"
_UNCAUGHT = "_flourish_uncaught_exception"


def is_locked(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError) and "database is locked" in str(error)


def _note_locked(sender, request=None, **kwargs) -> None:
    """An uncaught "database is locked" outside the view (a session save): the middleware
    cannot catch it, as Django has turned it into a 500 response by then, so it is noted on
    the request for the middleware to see."""
    import sys

    if request is not None:
        setattr(request, _UNCAUGHT, True)
        if is_locked(sys.exc_info()[1]):
            setattr(request, _FAILED, True)


got_request_exception.connect(_note_locked, dispatch_uid="flourish.ops.sqlitelock")


def _non_atomic(request) -> bool:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return True
    return connection.alias in getattr(view, "_non_atomic_requests", set())


def busy_page(request):
    response = render(request, "ops/busy.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class SQLiteLockRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.retries = int(getattr(settings, "SQLITE_LOCK_RETRIES", 1))

    def __call__(self, request):
        if connection.vendor != "sqlite":
            return self.get_response(request)
        whole = request.method not in SAFE_METHODS and not _non_atomic(request)
        for attempt in range(self.retries + 1):
            if attempt:
                # Others are queued for the same lock: step back a little, not in step.
                time.sleep(random.uniform(0.05, 0.25) * attempt)  # noqa: S311 - jitter, not a secret
            setattr(request, _FAILED, False)
            setattr(request, _UNCAUGHT, False)
            try:
                if whole:
                    with transaction.atomic():
                        response = self._attempt(request)
                        # A request that ended in a 500 keeps nothing of what it did.
                        if getattr(request, _FAILED) or getattr(request, _UNCAUGHT):
                            transaction.set_rollback(True)
                else:
                    response = self._attempt(request)
            except OperationalError as problem:  # only the BEGIN IMMEDIATE can raise here
                if not is_locked(problem):
                    raise
                continue
            if not getattr(request, _FAILED):
                return response
        return busy_page(request)

    def _attempt(self, request):
        response = self.get_response(request)
        if getattr(response, _FAILED, False):
            setattr(request, _FAILED, True)
        return response

    def process_exception(self, request, exception):
        if connection.vendor == "sqlite" and is_locked(exception):
            response = busy_page(request)
            setattr(response, _FAILED, True)
            return response
        return None
