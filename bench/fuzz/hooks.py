"""Schemathesis hooks for `npm run bench:fuzz`.

The push route declares its NDJSON body as text (one JSON object per line); schemathesis has no
serializer for application/x-ndjson, so it sends those bodies the way it sends text/plain.
"""
import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
