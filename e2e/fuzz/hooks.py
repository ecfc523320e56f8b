"""Schemathesis hooks for `just fuzz`: an upload starts with the file signature the server checks
(the server recognises PDF, JPEG and PNG by their first bytes, whatever the Content-Type says)."""

import ast
import threading

import schemathesis
from schemathesis.transport.serialization import serialize_binary

# CPython 3.11 (this machine's) can fail `ast.parse` when two threads parse at once ("AST constructor
# recursion depth mismatch", gh-106905). Hypothesis parses lambdas to describe strategies, and
# Schemathesis runs two workers, so parsing goes one thread at a time.
_parse_lock = threading.Lock()
_parse = ast.parse


def _parse_one_at_a_time(*args, **kwargs):
    with _parse_lock:
        return _parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time

SIGNATURES = {
    "application/pdf": b"%PDF-1.7\n",
    "image/jpeg": b"\xff\xd8\xff\xe0",
    "image/png": b"\x89PNG\r\n\x1a\n",
}


def _signed(media_type):
    def serialize(ctx, value):
        body = serialize_binary(value)
        signature = SIGNATURES[media_type]
        return body if body.startswith(signature) else signature + body

    return serialize


for _media_type in SIGNATURES:
    schemathesis.serializer(_media_type)(_signed(_media_type))


# Resources that exist only after a later step (an upload, the lottery's commit) answer 404 right
# after their parent is created, as they should. Schemathesis infers links to them and would call
# that a created resource that went missing, and its per-operation settings do not reach this
# check in the stateful phase; so the check skips exactly these operations and runs everywhere else.
from schemathesis.checks import CHECKS  # noqa: E402
from schemathesis.specs.openapi.checks import ensure_resource_availability as _builtin  # noqa: E402

EXIST_LATER = {
    "GET /api/v1/institutes/{institute_id}/trainees/{trainee_id}/cv",
    "GET /api/v1/institutes/{institute_id}/trainees/{trainee_id}/photo",
    "GET /api/v1/lotteries/{lottery_id}/verification",
}


def ensure_resource_availability(ctx, response, case):
    if case.operation.label in EXIST_LATER:
        return None
    return _builtin(ctx, response, case)


CHECKS.unregister("ensure_resource_availability")
schemathesis.check(ensure_resource_availability)
