"""HTTP for SPARQL endpoints and graph stores: the only code in rsf that opens a connection.

Only a URL the user named is contacted, over http or https. Every request
has a time limit, and every answer is read in chunks and refused as soon as
it passes a size limit. Credentials come from the environment
(``RSF_ENDPOINT_TOKEN`` for a bearer token, ``RSF_ENDPOINT_USER`` and
``RSF_ENDPOINT_PASSWORD`` for HTTP basic) or else from the netrc file
(``$NETRC`` or ``~/.netrc``) entry for the URL's host, never from the
command line, where process lists and shell histories would show them. They
are sent only to the scheme, host and port of the URL the user named: urllib
forwards ordinary headers across a redirect to any host, so the
``Authorization`` header is an unredirected one, added again only for a
redirect that stays on that origin. No message ever holds a secret.
"""

from __future__ import annotations

import base64
import http.client
import netrc
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import RsfError, UsageError

DEFAULT_TIMEOUT = 60.0
#: the longest --timeout accepted: a day (the operating system refuses far longer socket timeouts)
MAX_TIMEOUT = 86400.0
DEFAULT_MAX_ANSWER_MB = 100.0
_MB = 1024 * 1024
_CHUNK = 1 << 20
#: most of a server's error page shown in a message
_DETAIL_CHARS = 500
TOKEN_VARIABLE = "RSF_ENDPOINT_TOKEN"
USER_VARIABLE = "RSF_ENDPOINT_USER"
PASSWORD_VARIABLE = "RSF_ENDPOINT_PASSWORD"
HOW_TO_AUTHENTICATE = (f"set {TOKEN_VARIABLE} (a bearer token) or {USER_VARIABLE} and {PASSWORD_VARIABLE} "
                       "(HTTP basic), or add a 'machine HOST login NAME password SECRET' line for the host to "
                       "~/.netrc (or to the file $NETRC names)")


class EndpointError(RsfError):
    """A SPARQL endpoint that cannot be reached, refuses the request or answers with something unusable."""


def check_endpoint_url(url: str) -> str:
    """``url`` if rsf may send requests to it: http or https, a host, a valid port, no credentials in it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"{url!r} is not an http:// or https:// URL; give the server's SPARQL endpoint, "
                         "e.g. http://127.0.0.1:7878/query")
    if not parts.hostname:
        raise UsageError(f"{url!r} names no host; give the server's SPARQL endpoint, e.g. http://127.0.0.1:7878/query")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"the URL holds a user name or password, which process lists and logs would show; "
                         f"remove it and {HOW_TO_AUTHENTICATE}")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        raise UsageError(f"{url!r} has an invalid port; give a number, e.g. http://127.0.0.1:7878/query") from None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UsageError(f"{url!r} holds a space or a control character; percent-encode it (a space is %20)")
    return url


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: the part of a URL that credentials are bound to."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


@dataclass(frozen=True)
class Credentials:
    """An ``Authorization`` header value, where it came from (for messages) and the secrets to keep out of them."""

    header: str
    source: str
    secrets: tuple[str, ...]

    def redact(self, text: str) -> str:
        for secret in (self.header, *self.secrets):
            text = text.replace(secret, "[secret]")
        return text


def find_credentials(url: str, environ: Mapping[str, str]) -> Credentials | None:
    """The credentials for ``url``: from the environment, else from the netrc entry for its host, else none."""
    token = environ.get(TOKEN_VARIABLE, "")
    user, password = environ.get(USER_VARIABLE, ""), environ.get(PASSWORD_VARIABLE, "")
    if token and (user or password):
        raise UsageError(f"both {TOKEN_VARIABLE} and {USER_VARIABLE}/{PASSWORD_VARIABLE} are set; "
                         "unset the one the server does not use")
    if token:
        if not all("!" <= ch <= "~" for ch in token):  # a header value cannot hold a line break, and no token a space
            raise UsageError(f"{TOKEN_VARIABLE} holds a space, a line break or a character outside ASCII, which no "
                             "bearer token has; set it to the token alone")
        return Credentials(f"Bearer {token}", f"the bearer token in {TOKEN_VARIABLE}", (token,))
    if user or password:
        if not (user and password):
            raise UsageError(f"{USER_VARIABLE} and {PASSWORD_VARIABLE} go together; set both for HTTP basic "
                             f"authentication, or neither")
        return _basic(user, password, f"the user name and password in {USER_VARIABLE} and {PASSWORD_VARIABLE}")
    return _from_netrc(origin(url)[1], environ)


def _basic(user: str, password: str, source: str) -> Credentials:
    if ":" in user:
        raise UsageError(f"the user name in {source} holds a colon, which HTTP basic authentication cannot send")
    encoded = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    return Credentials(f"Basic {encoded}", source, (password, encoded))


def _from_netrc(host: str, environ: Mapping[str, str]) -> Credentials | None:
    """The netrc entry for ``host`` (or its ``default`` entry); ``$NETRC`` names the file, as curl and requests read it."""
    named = environ.get("NETRC", "")
    path = Path(named) if named else Path.home() / ".netrc"
    if not path.is_file():
        if named:
            raise UsageError(f"NETRC names {named}, which is not a file; fix the variable or unset it")
        return None
    try:
        # for ~/.netrc itself the stdlib also refuses a file others may read (it holds passwords)
        entry = netrc.netrc(str(path) if named else None).authenticators(host)
    except netrc.NetrcParseError as err:
        reason = err.msg if ("permissive" in err.msg or "owner" in err.msg) else "it is not a valid netrc file"
        raise UsageError(f"{path}:{err.lineno}: {reason}; fix it (chmod 600 {path} if it is too open)") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read the netrc file: {err.strerror}") from None
    if entry is None or not entry[2]:
        return None
    login, _, password = entry
    return _basic(login or "", password, f"the netrc entry for {host} in {path}")


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only, sending credentials again only where they were meant to go."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise EndpointError(f"{req.full_url}: the server redirects to {newurl}, which is not http or https; "
                                "rsf does not follow it")
        if len(fp.read(_CHUNK + 1)) > _CHUNK:  # urllib would read all of it: a redirect's page is small
            raise EndpointError(f"{req.full_url}: the server's redirect carries a page over 1 MB; "
                                "rsf does not follow it")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        auth = req.unredirected_hdrs.get("Authorization")
        if new is not None and auth and origin(newurl) == origin(req.full_url):
            new.add_unredirected_header("Authorization", auth)
        return new


@dataclass(frozen=True)
class Answer:
    """An endpoint's answer: its body and the media type the server says it is."""

    body: bytes
    content_type: str

    def described(self) -> str:
        return f"the server sent {self.content_type}" if self.content_type else "the server named no Content-Type"


class EndpointClient:
    """Requests to the endpoints the user named, bounded in time and size, with the user's credentials."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, max_answer_mb: float = DEFAULT_MAX_ANSWER_MB,
                 environ: Mapping[str, str] | None = None) -> None:
        self.timeout = timeout
        self.max_answer_mb = max_answer_mb
        self._environ = os.environ if environ is None else environ
        self._opener = urllib.request.build_opener(_SameOriginRedirects)
        self._credentials: dict[tuple[str, str, int | None], Credentials | None] = {}

    def credentials(self, url: str) -> Credentials | None:
        key = origin(url)
        if key not in self._credentials:
            self._credentials[key] = find_credentials(url, self._environ)
        return self._credentials[key]

    def send(self, method: str, url: str, body: bytes | None = None, **headers: str) -> Answer:
        """Send one request to ``url`` (checked first) and return the whole answer.

        Header names are given with underscores for dashes (``Content_Type``).
        """
        check_endpoint_url(url)
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={k.replace("_", "-"): v for k, v in headers.items()})
        credentials = self.credentials(url)
        if credentials:
            request.add_unredirected_header("Authorization", credentials.header)
        shown = url.split("?", 1)[0]
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data = self._read(response, shown)
                kind = response.headers.get_content_type() if "Content-Type" in response.headers else ""
                return Answer(data, kind)
        except urllib.error.HTTPError as err:
            raise self._refusal(err, shown, credentials) from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                raise self._late(shown) from None
            raise EndpointError(f"{shown}: cannot reach the endpoint ({err.reason}); is the server running?") from None
        except TimeoutError:
            raise self._late(shown) from None
        except (http.client.HTTPException, OSError) as err:
            raise EndpointError(f"{shown}: the connection failed during the answer ({type(err).__name__}: {err}); "
                                "check the server and try again") from None

    def _late(self, url: str) -> EndpointError:
        return EndpointError(f"{url}: no answer within {self.timeout:g} s; raise --timeout SECONDS or check the server")

    def _read(self, response: http.client.HTTPResponse, url: str) -> bytes:
        """The body, read a chunk at a time: refused once past the size limit or the time limit."""
        limit = int(self.max_answer_mb * _MB)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._too_big(url)
        deadline = time.monotonic() + self.timeout
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise self._too_big(url)
            if time.monotonic() > deadline:
                raise self._late(url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str) -> EndpointError:
        return EndpointError(f"{url}: the answer is over the limit of {self.max_answer_mb:g} MB; raise it with "
                             "--max-answer-size MB if you expect an answer this big")

    def _refusal(self, err: urllib.error.HTTPError, url: str, credentials: Credentials | None) -> EndpointError:
        detail = _detail(err.fp)
        if credentials:
            detail = credentials.redact(detail)
        status = f"{url}: HTTP {err.code} {err.reason}"
        if err.code in (401, 403):
            moved = "" if origin(err.url) == origin(url) else (
                f" (the server redirected to {err.url.split('?', 1)[0]}, where rsf sends no credentials)")
            if credentials:
                return EndpointError(f"{status}{moved}: the server refused {credentials.source}; check them, "
                                     "or whether this account may use the endpoint")
            return EndpointError(f"{status}{moved}: the server asks for credentials and none were given; "
                                 f"{HOW_TO_AUTHENTICATE}")
        return EndpointError(status + (f": {detail}" if detail else ""))


def _detail(body: IO[bytes] | None) -> str:
    """The start of a server's error page, as one line."""
    if body is None:
        return ""
    try:
        text = body.read(4 * _DETAIL_CHARS).decode("utf-8", errors="replace")
    except (http.client.HTTPException, OSError):
        return ""
    return " ".join(text.split())[:_DETAIL_CHARS]


__all__ = [
    "DEFAULT_MAX_ANSWER_MB",
    "DEFAULT_TIMEOUT",
    "Answer",
    "Credentials",
    "EndpointClient",
    "EndpointError",
    "check_endpoint_url",
    "find_credentials",
]
