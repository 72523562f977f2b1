"""The Alibaba Cloud and Tencent Cloud backends through their official SDKs, against a fake gateway on
127.0.0.1 (the SDKs' endpoint overridden, plain HTTP): what each SDK really sends, and how answers are read."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from fangkong.notify.backends import AliyunBackend, Outgoing, TencentBackend


class FakeGateway(ThreadingHTTPServer):
    requests: list[dict[str, Any]]
    answers: list[dict[str, Any]]


class Handler(BaseHTTPRequestHandler):
    server: FakeGateway

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body.decode()})
        answer = self.server.answers.pop(0)
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    server = FakeGateway(("127.0.0.1", 0), Handler)
    server.requests, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _message(ref: str = "00000000-0000-0000-0000-000000000001") -> Outgoing:
    return Outgoing(
        ref=ref,
        phone="+8613800000000",
        sign_name="防控指挥部",
        template_code="SMS_FK_0001",
        params={"name": "张三", "round": "第一轮"},
        param_order=["name", "round"],
        text="张三您好",
    )


def test_aliyun_send_sms_through_the_sdk(gateway, settings):
    settings.SMS_ALIYUN_ENDPOINT = f"127.0.0.1:{gateway.server_port}"
    settings.SMS_ALIYUN_PROTOCOL = "http"
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "ak", "secret"
    gateway.answers = [
        {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r1"},
        {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发天级流控", "RequestId": "r2"},
    ]
    results = AliyunBackend().send([_message(), _message("00000000-0000-0000-0000-000000000002")])
    assert results[0].ok and results[0].provider_id == "900619746936498440^0"
    assert not results[1].ok and "BUSINESS_LIMIT_CONTROL" in results[1].error
    sent = urllib.parse.parse_qs(gateway.requests[0]["body"]) or {}
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(gateway.requests[0]["path"]).query)
    fields = {**{k: v[0] for k, v in query.items()}, **{k: v[0] for k, v in sent.items()}}
    headers = gateway.requests[0]["headers"]
    # The 4.x SDK speaks the V3 signature: the action and version travel in headers, the fields in the query.
    assert headers["x-acs-action"] == "SendSms" and headers["x-acs-version"] == "2017-05-25"
    assert headers["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=ak")
    assert fields["PhoneNumbers"] == "13800000000"
    assert fields["SignName"] == "防控指挥部" and fields["TemplateCode"] == "SMS_FK_0001"
    assert json.loads(fields["TemplateParam"]) == {"name": "张三", "round": "第一轮"}
    assert fields["OutId"] == "00000000-0000-0000-0000-000000000001"


def test_tencent_send_sms_through_the_sdk(gateway, settings):
    settings.SMS_TENCENT_ENDPOINT = f"127.0.0.1:{gateway.server_port}"
    settings.SMS_TENCENT_PROTOCOL = "http"
    settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY = "id", "key"
    settings.SMS_TENCENT_APP_ID = "1400000000"
    gateway.answers = [
        {
            "Response": {
                "SendStatusSet": [
                    {
                        "SerialNo": "2028:f825e6b16e23f73f4123",
                        "PhoneNumber": "+8613800000000",
                        "Fee": 1,
                        "SessionContext": "",
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": "CN",
                    }
                ],
                "RequestId": "r1",
            }
        },
        {
            "Response": {
                "Error": {"Code": "FailedOperation.InsufficientBalanceInSmsPackage", "Message": "余额不足"},
                "RequestId": "r2",
            }
        },
    ]
    results = TencentBackend().send([_message(), _message("00000000-0000-0000-0000-000000000002")])
    assert results[0].ok and results[0].provider_id == "2028:f825e6b16e23f73f4123"
    assert not results[1].ok and "InsufficientBalance" in results[1].error
    first = gateway.requests[0]
    body = json.loads(first["body"])
    assert first["headers"]["X-TC-Action"] == "SendSms" and first["headers"]["X-TC-Version"] == "2021-01-11"
    assert body["PhoneNumberSet"] == ["+8613800000000"]
    assert body["TemplateParamSet"] == ["张三", "第一轮"]
    assert (
        body["SmsSdkAppId"] == "1400000000"
        and body["SessionContext"] == "00000000-0000-0000-0000-000000000001"
    )
    assert first["headers"]["Authorization"].startswith("TC3-HMAC-SHA256")
