"""SMS backends in the style of Django's email backends: `console` and `file` for the demo, `locmem` for tests,
and the real gateways through their official SDKs (Alibaba Cloud `dysmsapi20170525`, Tencent Cloud `sms
v20210111`). Settings: `SMS_BACKEND` (a dotted path or one of the short names), the gateway keys, and
`SMS_*_ENDPOINT` to point an SDK at another host (a fake gateway on 127.0.0.1 in the tests)."""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from fangkong.lib.phones import national


@dataclass(frozen=True)
class Outgoing:
    ref: str  # our message uuid (the gateway's out_id / SessionContext)
    phone: str  # E.164
    sign_name: str
    template_code: str
    params: dict[str, str]
    param_order: list[str]
    text: str


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str = ""
    error: str = ""


class BaseBackend:
    # The most numbers one call carries (the job sends in batches of this size).
    batch_size = 100

    def send(self, messages: list[Outgoing]) -> list[SendResult]:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, messages: list[Outgoing]) -> list[SendResult]:
        for m in messages:
            sys.stdout.write(f"SMS {m.phone} [{m.sign_name}] {m.text}\n")
        return [SendResult(True, "console-" + m.ref) for m in messages]


class FileBackend(BaseBackend):
    """Appends one JSON line per message to `SMS_FILE_PATH` (the demo's outbox)."""

    def send(self, messages: list[Outgoing]) -> list[SendResult]:
        path = settings.SMS_FILE_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            for m in messages:
                fh.write(
                    json.dumps(
                        {"ref": m.ref, "phone": m.phone, "sign": m.sign_name, "text": m.text},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        return [SendResult(True, "file-" + m.ref) for m in messages]


outbox: list[Outgoing] = []


class LocmemBackend(BaseBackend):
    """Keeps messages in `backends.outbox` (tests)."""

    def send(self, messages: list[Outgoing]) -> list[SendResult]:
        outbox.extend(messages)
        return [SendResult(True, "locmem-" + m.ref) for m in messages]


class AliyunBackend(BaseBackend):
    """Alibaba Cloud SMS (`SendSms`, one call per message: each has its own parameters)."""

    batch_size = 100

    def _client(self) -> Any:
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        config = Config(
            access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=settings.SMS_ALIYUN_ENDPOINT,
            protocol=settings.SMS_ALIYUN_PROTOCOL,
            read_timeout=10000,
            connect_timeout=5000,
        )
        return Client(config)

    def send(self, messages: list[Outgoing]) -> list[SendResult]:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest

        client = self._client()
        out = []
        for m in messages:
            request = SendSmsRequest(
                phone_numbers=national(m.phone),
                sign_name=m.sign_name,
                template_code=m.template_code,
                template_param=json.dumps(m.params, ensure_ascii=False),
                out_id=m.ref,
            )
            try:
                body = client.send_sms(request).body
            except Exception as exc:  # the SDK raises its own errors for HTTP and API failures
                out.append(SendResult(False, error=str(exc)[:200]))
                continue
            if body.code == "OK":
                out.append(SendResult(True, body.biz_id or ""))
            else:
                out.append(SendResult(False, error=f"{body.code}: {body.message}"[:200]))
        return out


class TencentBackend(BaseBackend):
    """Tencent Cloud SMS (`SendSms` v20210111): one call per message, since each has its own parameters."""

    batch_size = 100

    def send(self, messages: list[Outgoing]) -> list[SendResult]:
        from tencentcloud.common import credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models, sms_client

        cred = credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY)
        http = HttpProfile(
            protocol=settings.SMS_TENCENT_PROTOCOL, endpoint=settings.SMS_TENCENT_ENDPOINT, reqTimeout=10
        )
        client = sms_client.SmsClient(cred, settings.SMS_TENCENT_REGION, ClientProfile(httpProfile=http))
        out = []
        for m in messages:
            request = models.SendSmsRequest()
            request.PhoneNumberSet = [m.phone]
            request.SmsSdkAppId = settings.SMS_TENCENT_APP_ID
            request.SignName = m.sign_name
            request.TemplateId = m.template_code
            request.TemplateParamSet = [str(m.params.get(k, "")) for k in m.param_order]
            request.SessionContext = m.ref
            try:
                response = client.SendSms(request)
            except TencentCloudSDKException as exc:
                out.append(SendResult(False, error=f"{exc.code}: {exc.message}"[:200]))
                continue
            status = (response.SendStatusSet or [None])[0]
            if status is not None and status.Code == "Ok":
                out.append(SendResult(True, status.SerialNo or ""))
            else:
                out.append(
                    SendResult(
                        False, error=f"{getattr(status, 'Code', '')}: {getattr(status, 'Message', '')}"[:200]
                    )
                )
        return out


SHORT_NAMES = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "locmem": LocmemBackend,
    "aliyun": AliyunBackend,
    "tencent": TencentBackend,
}


def get_backend() -> BaseBackend:
    name = settings.SMS_BACKEND
    cls = SHORT_NAMES.get(name) or import_string(name)
    return cls()


def new_ref() -> str:
    return str(uuid.uuid4())
