"""Who may see the preview, which holds drafts: the names it answers to and the office network's token.

On this machine only (the default), the preview answers to localhost names alone: a page on another
site whose domain is made to resolve to 127.0.0.1 (DNS rebinding) sends its own name as Host and is
refused. Open to the network (`--host 0.0.0.0`), it answers to this machine's names and to addresses
typed as numbers, and asks for a random token, printed in the URL at start (as Jupyter does) and kept
in a cookie after the first visit. WebSocket connections must come from a page of the preview itself.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

COOKIE = "awareness_preview"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def _host_name(netloc: str) -> str:
    """'Example.vn:8000' → 'example.vn'; '[::1]:8000' → '::1'."""
    return (urlsplit("//" + netloc).hostname or "").lower()


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def machine_names() -> frozenset[str]:
    """This machine's own names, as a colleague's browser may type them."""
    names = {socket.gethostname().lower()}
    try:
        names.add(socket.getfqdn().lower())
    except OSError:
        pass
    names |= {f"{name.split('.')[0]}.local" for name in list(names)}  # macOS and Windows announce name.local
    return frozenset(n for n in names if n)


@dataclass(frozen=True)
class Access:
    """The rules one preview server applies to every request."""

    names: frozenset[str]  # host names (lower case, no port) the server answers to
    any_address: bool  # whether any address typed as numbers is accepted (open to the network)
    token: str | None  # required when open to the network

    @classmethod
    def for_host(cls, host: str) -> Access:
        if is_loopback(host):
            return cls(LOCAL_NAMES | {host.lower()}, False, None)
        return cls(LOCAL_NAMES | machine_names() | {host.lower()}, True, secrets.token_urlsafe(16))

    def allows_host(self, netloc: str) -> bool:
        name = _host_name(netloc)
        return name in self.names or (self.any_address and _is_ip(name))

    def allows_origin(self, origin: str, netloc: str) -> bool:
        """A WebSocket may be opened only by a page the preview itself served."""
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == netloc.lower() \
            and self.allows_host(netloc)

    def accepts(self, token: str | None) -> bool:
        return self.token is None or (token is not None and secrets.compare_digest(token, self.token))
