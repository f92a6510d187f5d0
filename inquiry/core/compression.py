"""Compressed pages: brotli or gzip, whichever the client accepts, and never a page that carries a secret.

The page cache (`page_cache.py`) stores each page once per encoding, so a hit costs no compression;
responses it does not store are compressed on the way out. Either way a compressible response gets
`Vary: Accept-Encoding`, and a client that sends no Accept-Encoding (or refuses both) gets plain bytes.

BREACH: a compressed body that holds a secret next to text an attacker can choose (a search query in
the URL, say) leaks the secret through the compressed length. So nothing that may carry a secret is
compressed: a page with a CSRF token (any form that posts: the feedback form, the admin's sign-in), a
response that sets a cookie, anything under the admin, and every page of a visitor with a session
(staff, signed-in users). `page_cache.carries_secret` decides. Static files are not ours to compress:
whitenoise serves them, precompressed, before the request gets here.
"""

import gzip
from functools import lru_cache

from django.utils.cache import patch_vary_headers

try:  # pinned in requirements.txt; without it, gzip alone
    import brotli
except ImportError:  # pragma: no cover - depends on the installation
    brotli = None

IDENTITY = "identity"
# The server's preference among what the client accepts: brotli is smaller for the same CPU.
ENCODINGS = ("br", "gzip") if brotli is not None else ("gzip",)
# Brotli's quality 5 is about gzip's speed (about 1 ms for a 25 kB page) and 15 % smaller; from 9 up it
# costs 30-50 ms a page for little more.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Below this the headers outweigh what compression saves.
MIN_LENGTH = 200
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/xhtml+xml",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
)


def compress(body, encoding):
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    return body


# Responses compressed on the way out (not stored by the page cache: the page cache off, an address with
# junk in its query, the other text size) are often the same bytes again: each process keeps the last
# ones it compressed (functools' cache, keyed by the plain bytes), so the same page is not compressed twice.
@lru_cache(maxsize=128)
def compress_recent(body, encoding):
    """`compress(body, encoding)`, remembered for the bytes compressed last."""
    return compress(body, encoding)


def accepted_encoding(request):
    """The encoding to send this client: "br", "gzip" or "identity" (RFC 9110 Accept-Encoding, q-values)."""
    return _best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)
def _best_encoding(header):
    if not header.strip():
        return IDENTITY
    weights = {}
    for part in header[:1000].split(","):
        name, _, params = part.partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        weights[name.strip().lower()] = weight
    for encoding in ENCODINGS:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return IDENTITY


def is_compressible(response):
    """A complete text response not already encoded (the body decides nothing else)."""
    if response.streaming or response.has_header("Content-Encoding"):
        return False
    if response.status_code < 200 or response.status_code in (204, 206, 304):
        return False
    content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES)


def worth_compressing(body):
    return len(body) >= MIN_LENGTH


def compress_response(request, response, secret):
    """Compress a response the page cache did not store, if it may be compressed (`secret`: see the module)."""
    if secret or not is_compressible(response):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    encoding = accepted_encoding(request)
    if encoding == IDENTITY or not worth_compressing(response.content):
        return response
    response.content = compress_recent(response.content, encoding)
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):
        # Another representation: a strong validator of the plain bytes no longer names these bytes.
        response["ETag"] = f"W/{etag}"
    return response
