"""Who is asking: the client address behind trusted proxies, and a per-client rate limit."""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable, Iterable

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> list[IPNetwork]:
    """``10.0.0.1`` or ``10.0.0.0/8`` -> networks; a bad entry raises ValueError naming it."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"KB_WEB_TRUSTED_PROXIES: '{entry}' is not an IP address or network") from None
    return networks


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: list[str], trusted: list[IPNetwork]) -> str:
    """The address to count a request against.

    The peer itself, unless the peer is a trusted proxy: then the right-most X-Forwarded-For hop that
    is not a trusted proxy (hops to its left can be forged by the client). Unparseable hops end the walk.
    """
    peer = peer or "unknown"
    if not trusted:
        return peer
    peer_ip = _ip(peer)
    if peer_ip is None or not _is_trusted(peer_ip, trusted):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        hop_ip = _ip(hop)
        if hop_ip is None:
            break
        client = str(hop_ip)
        if not _is_trusted(hop_ip, trusted):
            break
    return client


def _is_trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: list[IPNetwork]) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in trusted)


class RateLimiter:
    """Token bucket per client: ``per_minute`` requests a minute, bursts up to ``per_minute``.

    ``per_minute == 0`` disables it. Memory stays bounded: full buckets are dropped when the table grows.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 50_000):
        self.per_minute = per_minute
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def hit(self, client: str) -> float:
        """Take one request; returns 0 when allowed, else the seconds to wait before the next one."""
        if not self.enabled:
            return 0.0
        rate = self.per_minute / 60.0
        now = self.clock()
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_clients:
                self._prune(now, rate)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) / rate

    def _prune(self, now: float, rate: float) -> None:
        full = float(self.per_minute)
        self._buckets = {k: v for k, v in self._buckets.items() if v[0] + (now - v[1]) * rate < full}
        if len(self._buckets) > self.max_clients:  # still too many: forget the oldest half
            keep = sorted(self._buckets.items(), key=lambda kv: kv[1][1])[len(self._buckets) // 2:]
            self._buckets = dict(keep)


def retry_after_seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
