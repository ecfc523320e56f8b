"""Schemathesis hooks for `just fuzz`: an upload starts with the file signature the server checks
(the server recognises PDF, JPEG and PNG by their first bytes, whatever the Content-Type says)."""

import schemathesis
from schemathesis.transport.serialization import serialize_binary

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
