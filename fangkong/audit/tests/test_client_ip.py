"""The client address behind reverse proxies: only what a trusted proxy wrote counts."""

from django.test import RequestFactory

from fangkong.audit.middleware import client_ip


def request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_socket_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real one.
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.9")) == "203.0.113.9"


def test_a_missing_or_broken_header_falls_back_to_the_socket(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request()) == "10.0.0.1"
    assert client_ip(request(forwarded="not-an-ip")) == "10.0.0.1"


def test_lockouts_key_on_the_real_client(settings, cadre_a, client):
    from fangkong.audit.models import AuditAction, AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "wangzhu", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    # Another citizen behind the same proxy is not locked out.
    other = client.post(
        "/accounts/login/",
        {"username": "wangzhu", "password": "pw-wangzhu"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, ip="198.51.100.7").exists()
