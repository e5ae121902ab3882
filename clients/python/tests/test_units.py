"""The client's pure rules, without a server: signature checks beyond the one real delivery of the live suite
(several signatures, clock tolerance, malformed input), how long a 429/503 asks to wait, the bill of an answer,
the key and mode rules, and that the sources stay Python 3.9 syntax."""

from __future__ import annotations

import ast
import base64
import email.utils
import hashlib
import hmac
import os
import socket
import tempfile
import time
import unittest
from decimal import Decimal

from _support import CLIENT_ROOT

from kosher_catalog import (
    Bill,
    Client,
    TokenSet,
    TransportError,
    WebhookVerificationError,
    new_idempotency_key,
    verify_webhook,
)
from kosher_catalog._http import retry_delay
from kosher_catalog.errors import (
    AuthenticationError,
    InvalidBarcodeError,
    RateLimitError,
    ServerError,
    error_from_response,
)

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
BODY = b'{"type":"product.updated","timestamp":"2026-11-26T10:00:00.123Z","data":{"barcode":"7290000066318"}}'
NOW = 1_795_687_200


def sign(secret: str, msg_id: str, ts: int, body: bytes) -> str:
    key = base64.b64decode(secret[len("whsec_"):])
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def headers(signature: str, ts: int = NOW, msg_id: str = "msg_1") -> dict:
    return {"Webhook-Id": msg_id, "Webhook-Timestamp": str(ts), "Webhook-Signature": signature}


class VerifyWebhookTest(unittest.TestCase):
    def test_accepts_a_valid_signature_with_headers_in_any_case(self) -> None:
        event = verify_webhook(SECRET, headers(sign(SECRET, "msg_1", NOW, BODY)), BODY, now=NOW)
        self.assertEqual(event["data"]["barcode"], "7290000066318")

    def test_one_matching_entry_among_several_is_enough(self) -> None:
        old = "whsec_" + base64.b64encode(b"o" * 32).decode()
        value = " ".join([sign(old, "msg_1", NOW, BODY), "v2,ignored", sign(SECRET, "msg_1", NOW, BODY)])
        self.assertEqual(verify_webhook(SECRET, headers(value), BODY, now=NOW)["type"], "product.updated")

    def test_refuses_tampering_another_secret_and_another_id(self) -> None:
        good = sign(SECRET, "msg_1", NOW, BODY)
        for hdrs, body in [
            (headers(good), BODY.replace(b"updated", b"created")),
            (headers(sign("whsec_" + base64.b64encode(b"x" * 32).decode(), "msg_1", NOW, BODY)), BODY),
            (headers(good, msg_id="msg_2"), BODY),
            (headers("v1,not-base64!"), BODY),
            (headers(good.replace("v1,", "v2,")), BODY),
        ]:
            with self.assertRaises(WebhookVerificationError) as ctx:
                verify_webhook(SECRET, hdrs, body, now=NOW)
            self.assertEqual(ctx.exception.code, "webhook_bad_signature")

    def test_timestamp_tolerance_is_five_minutes_either_way(self) -> None:
        for ts, ok in [(NOW - 300, True), (NOW + 300, True), (NOW - 301, False), (NOW + 301, False)]:
            hdrs = headers(sign(SECRET, "msg_1", ts, BODY), ts=ts)
            if ok:
                verify_webhook(SECRET, hdrs, BODY, now=NOW)
            else:
                with self.assertRaises(WebhookVerificationError) as ctx:
                    verify_webhook(SECRET, hdrs, BODY, now=NOW)
                self.assertEqual(ctx.exception.code, "webhook_timestamp")

    def test_malformed_input(self) -> None:
        with self.assertRaises(WebhookVerificationError) as ctx:
            verify_webhook(SECRET, {"webhook-id": "msg_1"}, BODY, now=NOW)
        self.assertEqual(ctx.exception.code, "webhook_missing_headers")
        hdrs = headers(sign(SECRET, "msg_1", NOW, BODY))
        hdrs["Webhook-Timestamp"] = "17956872e2"
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(SECRET, hdrs, BODY, now=NOW)
        with self.assertRaises(WebhookVerificationError) as ctx:
            verify_webhook("whsec_***", headers(sign(SECRET, "msg_1", NOW, BODY)), BODY, now=NOW)
        self.assertEqual(ctx.exception.code, "webhook_bad_secret")
        self.assertIsInstance(ctx.exception, ValueError)
        array = b"[1,2]"
        with self.assertRaises(WebhookVerificationError) as ctx:
            verify_webhook(SECRET, headers(sign(SECRET, "msg_1", NOW, array)), array, now=NOW)
        self.assertEqual(ctx.exception.code, "webhook_bad_body")


class RetryDelayTest(unittest.TestCase):
    def test_retry_after_seconds_and_date(self) -> None:
        self.assertEqual(retry_delay({"retry-after": "2"}), 2.0)
        date = email.utils.formatdate(1000 + 7, usegmt=True)
        self.assertEqual(retry_delay({"retry-after": date}, now=1000), 7.0)

    def test_ratelimit_field_waits_for_every_exhausted_bucket(self) -> None:
        field = '"minute";r=0;t=18, "day";r=9998;t=30138'
        self.assertEqual(retry_delay({"ratelimit": field}), 18.0)
        self.assertEqual(retry_delay({"ratelimit": '"minute";r=0;t=3, "day";r=0;t=400'}), 400.0)
        self.assertIsNone(retry_delay({"ratelimit": '"minute";r=5;t=3'}))

    def test_reset_epoch_last(self) -> None:
        self.assertEqual(retry_delay({"x-ratelimit-reset": "1012"}, now=1000), 12.0)
        self.assertIsNone(retry_delay({}))

    def test_a_wait_longer_than_allowed_raises_with_the_wait(self) -> None:
        err = error_from_response(429, {"retry-after": "120"}, b'{"error":"rate_limited","message":"m","request_id":"r"}')
        self.assertIsInstance(err, RateLimitError)
        assert isinstance(err, RateLimitError)
        self.assertEqual(err.retry_after, 120.0)


class CallsWithoutTheNetworkTest(unittest.TestCase):
    def test_an_empty_webhook_update_and_an_unkept_session_send_nothing(self) -> None:
        client = Client("http://127.0.0.1:9", "cl_unit", "kc_live_unit")  # nothing listens on port 9
        with self.assertRaises(ValueError):
            client.update_webhook("wh_1")
        self.assertIsNone(client.revoke_tokens())


class ErrorsTest(unittest.TestCase):
    def test_codes_pick_classes(self) -> None:
        rest = error_from_response(400, {}, b'{"error":"invalid_barcode","message":"m","request_id":"req_1"}')
        self.assertIsInstance(rest, InvalidBarcodeError)
        self.assertEqual((rest.code, rest.request_id, rest.status), ("invalid_barcode", "req_1", 400))
        gql = error_from_response(401, {"x-request-id": "req_2"}, b'{"errors":[{"message":"no","extensions":{"code":"UNAUTHENTICATED"}}]}')
        self.assertIsInstance(gql, AuthenticationError)
        self.assertEqual((gql.code, gql.request_id), ("unauthenticated", "req_2"))
        head = error_from_response(503, {"x-request-id": "req_3"}, b"")
        self.assertIsInstance(head, ServerError)
        self.assertEqual(head.code, "service_unavailable")


class BillTest(unittest.TestCase):
    def test_a_replay_reports_the_first_charge_and_no_new_one(self) -> None:
        hdrs = {"x-credits-debited": "0", "x-credits-remaining": "997.4", "idempotency-replayed": "1"}
        body = {"meta": {"request_id": "req_1", "credits_debited": 2.6, "credits_remaining": 997.4}}
        bill = Bill.from_answer(hdrs, body, idempotency_key="k" * 20, attempts=2)
        self.assertEqual((bill.credits_debited, bill.header_credits_debited), (Decimal("2.6"), Decimal(0)))
        self.assertEqual(bill.credits_remaining, Decimal("997.4"))
        self.assertTrue(bill.replayed)
        self.assertFalse(bill.test_mode)

    def test_test_mode_from_meta_or_header(self) -> None:
        self.assertTrue(Bill.from_answer({}, {"meta": {"test_mode": True}}, idempotency_key=None, attempts=1).test_mode)
        self.assertTrue(Bill.from_answer({"x-test-mode": "1"}, None, idempotency_key=None, attempts=1).test_mode)
        gql = {"extensions": {"billing": {"requestId": "req_9", "creditsDebited": 0.5, "creditsRemaining": 9.5}}}
        bill = Bill.from_answer({}, gql, idempotency_key=None, attempts=1)
        self.assertEqual((bill.request_id, bill.credits_debited), ("req_9", Decimal("0.5")))


class ClientRulesTest(unittest.TestCase):
    def test_mode_follows_the_key_prefix(self) -> None:
        self.assertEqual(Client("http://x", "cl_1", "kc_test_abc").mode, "test")
        self.assertTrue(Client("http://x", "cl_1", "kc_test_abc").test_mode)
        self.assertEqual(Client("http://x", "cl_1", "kc_live_abc").mode, "live")
        with self.assertRaises(ValueError):
            Client("http://x", "cl_1", "kc_rt_abc")  # a refresh token pasted as the key
        with self.assertRaises(ValueError):
            Client("x.example", "cl_1", "kc_live_abc")
        self.assertNotIn("kc_live_abc", repr(Client("http://x", "cl_1", "kc_live_abc")))

    def test_idempotency_keys_are_random_visible_ascii_of_allowed_length(self) -> None:
        keys = {new_idempotency_key() for _ in range(100)}
        self.assertEqual(len(keys), 100)
        for key in keys:
            self.assertTrue(20 <= len(key) <= 255)
            self.assertTrue(all("!" <= c <= "~" for c in key))

    def test_bulk_check_input_rules(self) -> None:
        client = Client("http://127.0.0.1:9", "cl_1", "kc_live_abc")
        with self.assertRaises(ValueError):
            client.bulk_check(["017000161563"], chunk_size=501)
        with self.assertRaises(ValueError):
            client.bulk_check(["017000161563"], idempotency_key="k" * 254)
        self.assertEqual(client.bulk_check([]).results, [])  # nothing to check: no request at all


class TimeoutTest(unittest.TestCase):
    """A server that takes the connection and never answers (a listening socket nobody accepts from: the kernel
    completes the handshake and buffers the request). The harness's proxy can only lose answers, not stall them."""

    def setUp(self) -> None:
        self.silent = socket.socket()
        self.silent.bind(("127.0.0.1", 0))
        self.silent.listen(16)
        url = f"http://127.0.0.1:{self.silent.getsockname()[1]}"
        self.client = Client(url, "cl_1", "kc_live_abc", timeout=0.2, max_retries=2, backoff_base=0.01)
        # A token the client believes in, so the billed call itself is what times out.
        self.client._tokens = TokenSet("at", "rt", 3600, 0, time.time() + 3600)

    def tearDown(self) -> None:
        self.silent.close()

    def connections(self) -> int:
        """How many connections the client opened: each waits in the backlog until accepted here."""
        self.silent.setblocking(False)
        count = 0
        while True:
            try:
                conn, _ = self.silent.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def test_a_billed_call_that_times_out_is_retried_under_one_key_then_raises(self) -> None:
        with self.assertLogs("kosher_catalog", level="INFO") as cm:
            with self.assertRaises(TransportError) as ctx:
                self.client.get_product("017000161563", include="product_meta")
        retries = [r for r in cm.records if getattr(r, "kc_event", None) == "retry"]
        self.assertEqual(len(retries), 2)
        self.assertEqual(len({r.kc_key for r in retries}), 1)  # type: ignore[attr-defined]
        self.assertEqual(ctx.exception.code, "transport_error")
        self.assertIn("3 attempt(s)", ctx.exception.message)
        self.assertEqual(self.connections(), 3)

    def test_an_image_download_that_times_out_is_not_sent_again(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            with self.assertRaises(TransportError):
                self.client.download_image(self.client.base_url + "/api/v1/image/x", directory)
            self.assertEqual(os.listdir(directory), [])
        self.assertEqual(self.connections(), 1)  # the server may have redeemed it: never a second GET


class SourcesTest(unittest.TestCase):
    def test_every_source_parses_as_python_3_9(self) -> None:
        checked = 0
        for top in ("kosher_catalog", "build_backend", "examples"):
            for directory, _, names in os.walk(os.path.join(CLIENT_ROOT, top)):
                for name in names:
                    if name.endswith(".py"):
                        path = os.path.join(directory, name)
                        with open(path, encoding="utf-8") as f:
                            ast.parse(f.read(), path, feature_version=(3, 9))
                        checked += 1
        self.assertGreater(checked, 10)


if __name__ == "__main__":
    unittest.main()
