"""Client addresses behind proxies, the token bucket, and settings from the environment."""

from __future__ import annotations

import pytest

from bot.web.clients import RateLimiter, client_address, parse_networks
from bot.web.settings import WebSettings

PROXIES = parse_networks(["10.0.0.1", "172.16.0.0/12"])


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),              # untrusted peer: header ignored
    ("10.0.0.1", ["198.51.100.1"], "198.51.100.1"),                # trusted proxy: its client
    ("10.0.0.1", ["1.1.1.1, 198.51.100.1"], "198.51.100.1"),       # forged left hop ignored
    ("10.0.0.1", ["1.1.1.1", "198.51.100.1, 172.16.3.4"], "198.51.100.1"),  # chain of trusted proxies
    ("10.0.0.1", [], "10.0.0.1"),                                  # no header: the proxy itself
    ("10.0.0.1", ["garbage"], "10.0.0.1"),                         # unparseable: stay with the peer
    ("10.0.0.1", ["[2001:db8::1]:443"], "2001:db8::1"),
    ("10.0.0.1", ["198.51.100.1:5555"], "198.51.100.1"),
    ("::ffff:10.0.0.1", ["198.51.100.1"], "198.51.100.1"),          # IPv4-mapped peer
    (None, ["198.51.100.1"], "unknown"),
])
def test_client_address(peer, forwarded, expected):
    assert client_address(peer, forwarded, PROXIES) == expected


def test_no_trusted_proxies_means_the_peer():
    assert client_address("10.0.0.1", ["198.51.100.1"], []) == "10.0.0.1"


def test_bad_proxy_entry_is_named():
    with pytest.raises(ValueError, match="not-an-ip"):
        parse_networks(["not-an-ip"])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_the_rate_and_refills():
    clock = Clock()
    limiter = RateLimiter(60, clock)
    assert [limiter.hit("a") for _ in range(60)] == [0.0] * 60
    wait = limiter.hit("a")
    assert 0 < wait <= 1.0
    assert limiter.hit("b") == 0.0, "clients are counted separately"
    clock.now += 1.0
    assert limiter.hit("a") == 0.0
    assert limiter.hit("a") > 0


def test_zero_disables_the_limit():
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.hit("a") == 0.0 for _ in range(1000))


def test_limiter_memory_is_bounded():
    clock = Clock()
    limiter = RateLimiter(10, clock, max_clients=100)
    for i in range(1000):
        limiter.hit(f"client-{i}")
        clock.now += 0.001
    assert len(limiter._buckets) <= 101


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("KB_WEB_RATE_LIMIT", "0")
    monkeypatch.setenv("KB_WEB_PORT", "9090")
    monkeypatch.setenv("KB_WEB_TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12")
    monkeypatch.setenv("KB_WEB_CORS_ORIGINS", '["https://a.example"]')
    settings = WebSettings(_env_file=None)
    assert settings.rate_limit == 0 and settings.port == 9090
    assert settings.trusted_proxies == ["10.0.0.1", "172.16.0.0/12"]
    assert settings.cors_origins == ["https://a.example"]


def test_settings_defaults(monkeypatch):
    for name in ("HOST", "PORT", "RATE_LIMIT", "TRUSTED_PROXIES", "MAX_QUESTION_CHARS", "CORS_ORIGINS"):
        monkeypatch.delenv(f"KB_WEB_{name}", raising=False)
    settings = WebSettings(_env_file=None)
    assert (settings.host, settings.port, settings.rate_limit) == ("127.0.0.1", 8080, 60)
    assert settings.trusted_proxies == [] and settings.cors_origins == []
    assert settings.max_question_chars == 500


def test_negative_rate_limit_is_refused():
    with pytest.raises(ValueError):
        WebSettings(_env_file=None, rate_limit=-1)
