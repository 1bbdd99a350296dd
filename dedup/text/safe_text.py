"""Text that is safe to show a person: control characters made visible, credentials masked.

``visible`` is applied wherever a file name, a label or a file's content reaches a
terminal or a human-readable report (``check --format text``, messages on stderr,
``clean``'s summary, ``diff``'s terminal view, ``explain``, ``archive`` messages). A
file named ``a\\x1b]0;pwned\\x07.txt`` or a paragraph holding an escape sequence is shown
as those visible characters, never sent to the terminal. JSON outputs (``--format json``,
SARIF, GitLab, notes) keep the exact text: JSON escapes control characters itself.

``mask_credentials`` is applied wherever an archive location is shown or stored: a
password or token in a URL, as userinfo (``redis://user:pw@host``) or as a query parameter
(``?password=pw``, ``&token=...``), becomes ``***``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: C0 controls (NUL to US), DEL, C1 controls (U+0080 to U+009F, U+0085 NEL among them), the
#: Unicode line and paragraph separators, and the bidirectional embeddings, overrides and
#: isolates (U+202A to U+202E, U+2066 to U+2069) that can reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """Return ``text`` with every control character spelled out (``\\x1b``, ``\\n``, ``\\u202e``).

    ``keep`` names characters left as they are: ``"\\t\\n"`` for a paragraph's text shown on
    several lines; nothing for a file name, which must stay on one line. Backslashes are
    not doubled: the result is for reading, not for parsing back.
    """
    if not _UNSAFE.search(text):
        return text
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


#: Query parameters whose value is a secret (matched case-insensitively on the whole name,
#: or on a name ending in ``_password``, ``-token`` and the like).
_SECRET_NAMES = re.compile(
    r"(?:.*[_.-])?(?:password|passwd|pass|pwd|secret|token|auth|apikey|api[_-]?key|"
    r"credentials?|access[_-]?key|private[_-]?key|sig|signature)",
    re.IGNORECASE,
)
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<rest>[^\s'\"<>]*)")
MASK = "***"


def _mask_query(query: str) -> str:
    parts = re.split(r"([&;])", query)
    for i in range(0, len(parts), 2):
        name, eq, _ = parts[i].partition("=")
        if eq and _SECRET_NAMES.fullmatch(unquote(name.replace("+", " ")).strip()):
            parts[i] = f"{name}={MASK}"
    return "".join(parts)


def _mask_url(scheme: str, rest: str) -> str:
    path_start = len(rest)
    for sep in "/?#":
        at = rest.find(sep)
        if at != -1:
            path_start = min(path_start, at)
    netloc, tail = rest[:path_start], rest[path_start:]
    user, sign, host = netloc.rpartition("@")
    if sign:
        name, colon, _ = user.partition(":")
        netloc = f"{name}:{MASK}@{host}" if colon else f"{user}@{host}"
    query_at = tail.find("?")
    if query_at != -1:
        fragment_at = tail.find("#", query_at)
        end = len(tail) if fragment_at == -1 else fragment_at
        tail = tail[: query_at + 1] + _mask_query(tail[query_at + 1 : end]) + tail[end:]
    return scheme + netloc + tail


def mask_credentials(text: str) -> str:
    """Return ``text`` with the credentials of every URL in it replaced by ``***``.

    A password in the userinfo (``redis://:pw@host``, ``redis://user:pw@host``; the user
    name stays) and the value of any query parameter named like a secret (``password``,
    ``pass``, ``pwd``, ``token``, ``auth``, ``secret``, ``api_key``, ..., in any case) are
    masked: ``redis://:***@host:6379/0``, ``redis://host/0?password=***``. Text without
    ``scheme://`` is returned unchanged, so a file path passes through.
    """
    if "://" not in text:
        return text
    return _URL.sub(lambda m: _mask_url(m.group("scheme"), m.group("rest")), text)


def secrets_of(url: str) -> list[str]:
    """Return the secret values in ``url`` (as written and percent-decoded), longest first.

    For scrubbing them from messages that echo them without the URL around them.
    """
    found: set[str] = set()
    masked = mask_credentials(url)
    if masked == url:
        return []
    # Compare the URL with its masked form: every replaced stretch is a secret.
    for m in _URL.finditer(url):
        rest = m.group("rest")
        netloc = re.split(r"[/?#]", rest, maxsplit=1)[0]
        user, at, _ = netloc.rpartition("@")
        if at and ":" in user:
            found.add(user.partition(":")[2])
        query = rest.partition("?")[2].partition("#")[0]
        for part in re.split(r"[&;]", query):
            name, eq, value = part.partition("=")
            if eq and _SECRET_NAMES.fullmatch(unquote(name.replace("+", " ")).strip()):
                found.add(value)
    found |= {unquote(s) for s in found} | {unquote(s.replace("+", " ")) for s in found}
    # Very short values are left alone: replacing "1" would garble every number in a message.
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """Return ``text`` (a message that may quote ``url`` or parts of it) without its secrets."""
    text = mask_credentials(text)
    for secret in secrets_of(url):
        text = text.replace(secret, MASK)
    return text
