"""The client against the real app (the live harness, test/clients/live-server.ts): tokens, retries under one
Idempotency-Key through a proxy that loses answers, 429s, typed errors, the listing iterator, chunked bulk checks,
image downloads and a real webhook delivery."""

from __future__ import annotations

import datetime
import json
import logging
import os
import tempfile
import time
import unittest
import uuid
from decimal import Decimal
from typing import Any, Dict, List, Optional

from _support import (
    admin,
    arm_drop,
    arm_failure,
    env,
    http_json,
    proxy_stats,
    random_barcode,
    sink_records,
    wait_for,
)

from kosher_catalog import (
    ApiError,
    BadRequestError,
    Client,
    IdempotencyKeyMismatchError,
    InvalidBarcodeError,
    GoneError,
    KosherCatalogError,
    NotFoundError,
    WebhookVerificationError,
    verify_webhook,
)

# Default rates (docs/billing.md): the harness does not change them.
GET_SCOPE = Decimal("0.5")
PER_IMAGE = Decimal("0.8")
HEAD = Decimal("0.05")
BULK = Decimal("0.01")


def events(cm: Any, name: str) -> List[logging.LogRecord]:
    return [r for r in cm.records if getattr(r, "kc_event", None) == name]


class LiveTest(unittest.TestCase):
    client: Client

    @classmethod
    def setUpClass(cls) -> None:
        cls.client = Client.from_env()
        cls.barcode = env("KC_BARCODE")
        cls.barcodes = env("KC_BARCODES").split(",")

    def balance(self) -> Decimal:
        """The balance as the API reports it, read past the proxy so no armed drop can touch it."""
        status, headers, _ = http_json(
            "GET", env("KC_DIRECT_URL") + "/api/v1/balance", token=self.client.exchange_token().access_token
        )
        self.assertEqual(status, 200)
        return Decimal(headers["x-credits-remaining"])


class TokenTests(LiveTest):
    def test_exchange_gives_a_pair_and_the_mode_comes_from_the_key(self) -> None:
        tokens = self.client.exchange_token()
        self.assertEqual(tokens.expires_in, int(env("KC_ACCESS_TOKEN_TTL_SEC")))
        self.assertTrue(tokens.refresh_token.startswith("kc_rt_"))
        self.assertNotIn(tokens.access_token, repr(tokens))
        self.assertEqual(self.client.mode, "live")
        self.assertFalse(self.client.test_mode)

    def test_an_expired_access_token_is_refreshed_before_the_call(self) -> None:
        client = Client.from_env()
        client.balance()
        before = client.tokens
        assert before is not None
        # Sleep just past the expiry the server set, then prove the old token is really dead there.
        time.sleep(max(0.0, before.expires_at - time.time()) + 0.3)
        status, _, body = http_json("GET", env("KC_DIRECT_URL") + "/api/v1/balance", token=before.access_token)
        self.assertEqual((status, body["error"]), (401, "unauthenticated"))
        with self.assertLogs("kosher_catalog", level="DEBUG") as cm:
            result = client.balance()
        self.assertIn("credits_remaining", result.data)
        self.assertEqual(len(events(cm, "token_refresh")), 1)
        self.assertEqual(events(cm, "token_exchange"), [])
        after = client.tokens
        assert after is not None
        self.assertNotEqual(after.access_token, before.access_token)
        self.assertNotEqual(after.refresh_token, before.refresh_token)

    def test_a_401_renews_the_token_and_retries_once(self) -> None:
        client = Client.from_env()
        tokens = client.exchange_token()
        # Revoked server-side, still fresh by the client's clock: only the 401 can tell the client.
        status, _, body = http_json("POST", env("KC_DIRECT_URL") + "/api/v1/auth/revoke", body={"token": tokens.access_token})
        self.assertEqual((status, body["revoked"]), (200, True))
        with self.assertLogs("kosher_catalog", level="DEBUG") as cm:
            result = client.get_product(self.barcode, include=["product_meta"])
        self.assertEqual(result["product_meta"]["brand"], "Cheerios")
        self.assertEqual(len(events(cm, "retry_401")), 1)
        self.assertEqual(len(events(cm, "token_refresh")), 1)
        self.assertEqual(result.bill.credits_debited, GET_SCOPE)

    def test_a_refresh_token_refused_falls_back_to_the_api_key(self) -> None:
        client = Client.from_env()
        tokens = client.exchange_token()
        # Spend the refresh token behind the client's back: presenting it again would be "reuse" (every session
        # revoked), so the client must trade its API key instead, and recover.
        status, _, _ = http_json(
            "POST", env("KC_DIRECT_URL") + "/api/v1/auth/revoke", body={"token": tokens.refresh_token}
        )
        self.assertEqual(status, 200)
        with self.assertLogs("kosher_catalog", level="DEBUG") as cm:
            refreshed = client.refresh_tokens()
        self.assertEqual(len(events(cm, "refresh_fallback")), 1)
        self.assertEqual(len(events(cm, "token_exchange")), 1)
        self.assertNotEqual(refreshed.refresh_token, tokens.refresh_token)
        self.assertIn("credits_remaining", client.balance().data)


class RetryTests(LiveTest):
    def test_a_lost_answer_is_retried_under_the_same_key_and_charged_once(self) -> None:
        before = self.balance()
        dropped = proxy_stats()["dropped"]
        arm_drop(f"/api/v1/products/{self.barcode}")
        with self.assertLogs("kosher_catalog", level="INFO") as cm:
            result = self.client.get_product(self.barcode, include=["product_meta", "images"], variants=["front"])
        self.assertEqual(proxy_stats()["dropped"], dropped + 1)
        self.assertEqual(result["product_meta"]["product_name"], "Cheerios Original")
        self.assertIn("/api/v1/image/", result["images"]["front"])
        bill = result.bill
        self.assertEqual(bill.attempts, 2)
        self.assertTrue(bill.replayed)
        self.assertEqual(bill.credits_debited, GET_SCOPE + PER_IMAGE)  # what the call cost, paid by attempt 1
        self.assertEqual(bill.header_credits_debited, 0)  # the replay itself charged nothing
        retries = events(cm, "retry")
        self.assertEqual(len(retries), 1)
        self.assertEqual(retries[0].kc_key, bill.idempotency_key)  # type: ignore[attr-defined]
        self.assertEqual(self.balance(), before - (GET_SCOPE + PER_IMAGE))
        self.assertEqual(bill.credits_remaining, before - (GET_SCOPE + PER_IMAGE))

    def test_a_5xx_after_the_debit_is_retried_under_the_same_key_and_charged_once(self) -> None:
        barcodes = self.barcodes + [random_barcode()]
        before = self.balance()
        failed = proxy_stats()["failed"]
        arm_failure("/api/v1/products/bulk-check", 503)
        with self.assertLogs("kosher_catalog", level="INFO") as cm:
            result = self.client.bulk_check(barcodes)
        self.assertEqual(proxy_stats()["failed"], failed + 1)
        self.assertEqual([r["barcode"] for r in result.results], barcodes)
        self.assertEqual([r.kc_reason for r in events(cm, "retry")], ["http_503"])  # type: ignore[attr-defined]
        charge = BULK * len(barcodes)
        self.assertEqual((result.bills[0].attempts, result.bills[0].replayed), (2, True))
        self.assertEqual(result.credits_debited, charge)
        self.assertEqual(self.balance(), before - charge)

    def test_a_lost_graphql_answer_is_charged_once(self) -> None:
        before = self.balance()
        arm_drop("/graphql")
        result = self.client.graphql(
            "query($b: Barcode!) { product(barcode: $b) { productMeta { productName } } }", {"b": self.barcode}
        )
        self.assertEqual(result.data["product"]["productMeta"]["productName"], "Cheerios Original")
        self.assertEqual((result.bill.attempts, result.bill.replayed), (2, True))
        self.assertEqual(result.bill.credits_debited, GET_SCOPE)
        self.assertEqual(self.balance(), before - GET_SCOPE)

    def test_a_key_reused_for_another_request_is_a_typed_409_not_retried(self) -> None:
        key = "kc-py-test-" + uuid.uuid4().hex
        self.client.head_product(self.barcode, idempotency_key=key)
        self.client.get_product(self.barcode, include=["product_meta"], idempotency_key=key)  # another route: fine
        with self.assertRaises(IdempotencyKeyMismatchError) as ctx:
            self.client.get_product(self.barcode, include=["image_meta"], idempotency_key=key)
        self.assertEqual((ctx.exception.status, ctx.exception.code), (409, "idempotency_key_mismatch"))

    def test_429_is_waited_out_and_every_call_succeeds(self) -> None:
        limited = Client(env("KC_BASE_URL"), env("KC_LIMITED_CLIENT_ID"), env("KC_LIMITED_API_KEY"))
        with self.assertLogs("kosher_catalog", level="INFO") as cm:
            results = [limited.balance() for _ in range(5)]
        self.assertEqual(len(results), 5)
        self.assertTrue(all("credits_remaining" in r.data for r in results))
        waits = events(cm, "rate_limited")
        self.assertGreaterEqual(len(waits), 1)
        # The harness's window is 2 s: Retry-After never asks for more, so neither does the client (plus jitter).
        self.assertTrue(all(r.kc_wait <= 2 + limited.backoff_max for r in waits))  # type: ignore[attr-defined]


class ProductTests(LiveTest):
    def test_a_bad_barcode_is_a_typed_error_and_free(self) -> None:
        before = self.balance()
        with self.assertRaises(InvalidBarcodeError) as ctx:
            self.client.get_product("12345678", include=["product_meta"])
        err = ctx.exception
        self.assertIsInstance(err, BadRequestError)
        self.assertIsInstance(err, ApiError)
        self.assertIsInstance(err, KosherCatalogError)
        self.assertEqual((err.status, err.code), (400, "invalid_barcode"))
        self.assertIn("check digit", err.message)
        assert err.request_id is not None
        self.assertTrue(err.request_id.startswith("req_"))
        self.assertIn(err.request_id, str(err))
        with self.assertRaises(NotFoundError) as nf:
            self.client.get_product(random_barcode(), include=["product_meta"])
        self.assertEqual(nf.exception.code, "not_found")
        self.assertEqual(self.balance(), before)

    def test_the_bill_of_a_read(self) -> None:
        result = self.client.get_product(self.barcode, include="product_meta")
        bill = result.bill
        self.assertEqual(bill.credits_debited, GET_SCOPE)
        self.assertEqual(bill.header_credits_debited, GET_SCOPE)
        self.assertEqual((bill.attempts, bill.replayed, bill.test_mode), (1, False, False))
        self.assertEqual(bill.request_id, result["meta"]["request_id"])
        self.assertEqual(bill.credits_remaining, Decimal(result.headers["x-credits-remaining"]))
        self.assertTrue(20 <= len(bill.idempotency_key or "") <= 255)
        self.assertEqual(set(result.data), {"barcode", "product_meta", "meta"})

    def test_head(self) -> None:
        found = self.client.head_product(self.barcode)
        self.assertTrue(found.exists)
        self.assertEqual(found.variants, ["front", "back"])
        self.assertEqual(found.bill.credits_debited, HEAD)
        missing = self.client.head_product(random_barcode())
        self.assertFalse(missing.exists)
        self.assertEqual(missing.bill.credits_debited, 0)

    def test_bulk_check_of_1001_barcodes_in_three_chunks_in_order(self) -> None:
        unknown = [random_barcode() for _ in range(40)]
        invalid = ["123", "12345678"]
        pool = self.barcodes + unknown + invalid
        barcodes = [pool[(i * 7) % len(pool)] for i in range(1001)]
        before = self.balance()
        result = self.client.bulk_check(barcodes)
        self.assertEqual([r["barcode"] for r in result.results], barcodes)
        for row in result.results:
            b = row["barcode"]
            self.assertEqual(row["exists"], b in self.barcodes, b)
            if b in invalid:
                self.assertEqual(row["error"], "invalid_barcode")
        self.assertEqual(len(result.bills), 3)
        self.assertEqual(len({b.idempotency_key for b in result.bills}), 3)
        # Billed per distinct valid barcode within each request (repeats in one chunk count once).
        expected = sum(
            (BULK * len({b for b in barcodes[s : s + 500] if b not in invalid}) for s in range(0, 1001, 500)),
            Decimal(0),
        )
        self.assertEqual(result.credits_debited, expected)
        self.assertEqual(self.balance(), before - expected)
        self.assertEqual(result.credits_remaining, before - expected)

    def test_bulk_check_with_a_key_resumes_without_paying_again(self) -> None:
        barcodes = (self.barcodes * 100)[:501]
        key = "kc-py-resume-" + uuid.uuid4().hex
        first = self.client.bulk_check(barcodes, idempotency_key=key)
        before = self.balance()
        again = self.client.bulk_check(barcodes, idempotency_key=key)
        self.assertEqual(again.results, first.results)
        self.assertTrue(all(b.replayed and b.header_credits_debited == 0 for b in again.bills))
        self.assertEqual(self.balance(), before)

    def test_graphql_bill_and_typed_errors(self) -> None:
        result = self.client.graphql(
            "query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }", {"b": self.barcode}
        )
        self.assertEqual(result.data["product"]["productMeta"]["brand"], "Cheerios")
        self.assertEqual(result.bill.credits_debited, GET_SCOPE)
        self.assertEqual(result.bill.request_id, result.extensions["billing"]["requestId"])
        with self.assertRaises(KosherCatalogError) as ctx:
            self.client.graphql("query($b: Barcode!) { product(barcode: $b) { barcode } }", {"b": "12345678"})
        self.assertEqual(ctx.exception.code, "invalid_barcode")

    def test_a_price_quote_charges_nothing(self) -> None:
        before = self.balance()
        quote = self.client.graphql(
            "query($b: Barcode!) { product(barcode: $b) { productMeta { brand } imageMeta { front { width } } } }",
            {"b": self.barcode},
            price_quote=True,
        )
        self.assertIsNone(quote.data)
        self.assertTrue(quote.extensions["billing"]["quote"])
        self.assertEqual(Decimal(repr(quote.extensions["billing"]["creditsQuoted"])), 2 * GET_SCOPE)
        self.assertEqual(quote.bill.credits_debited, 0)
        self.assertEqual(self.balance(), before)

    def test_request_reaches_any_other_route(self) -> None:
        usage = self.client.request("GET", "/api/v1/usage", query={"group_by": ["action", "day"]})
        self.assertEqual(usage["group_by"], ["action", "day"])
        self.assertIn("products.get", [row["action"] for row in usage["rows"]])
        with self.assertRaises(BadRequestError) as ctx:  # strict parameters: a typo is refused, not ignored
            self.client.request("GET", "/api/v1/usage", query={"group_byy": "action"})
        self.assertIn("group_byy", ctx.exception.message)

    def test_download_image_redeems_once_and_saves(self) -> None:
        result = self.client.get_product(self.barcode, include="images", variants="front")
        url = result["images"]["front"]
        with tempfile.TemporaryDirectory() as directory:
            image = self.client.download_image(url, directory)
            self.assertEqual(image.path, os.path.join(directory, f"{self.barcode}_front.jpg"))
            self.assertEqual(image.content_type, "image/jpeg")
            with open(image.path, "rb") as f:
                data = f.read()
            self.assertEqual(len(data), image.size)
            self.assertEqual(data[:3], b"\xff\xd8\xff")
            with self.assertRaises(GoneError) as ctx:
                self.client.download_image(url, os.path.join(directory, "again.jpg"))
            self.assertEqual(ctx.exception.code, "signed_url_used")
            self.assertEqual(sorted(os.listdir(directory)), [f"{self.barcode}_front.jpg"])  # no part files left


class TestModeTests(LiveTest):
    """A kc_test_ key (docs/test-mode.md): the sandbox catalog, every bill computed and reported, no credit moved."""

    def test_a_test_mode_call_reports_its_bill_and_leaves_the_balance_unchanged(self) -> None:
        test_client = Client(env("KC_BASE_URL"), env("KC_TEST_CLIENT_ID"), env("KC_TEST_API_KEY"))
        self.assertEqual((test_client.mode, test_client.test_mode), ("test", True))
        before = self.balance()
        # The sandbox has the documentation's barcode too (its first read may seed the sandbox: a few seconds).
        result = test_client.get_product(self.barcode, include="product_meta")
        self.assertEqual(result["barcode"], self.barcode)
        self.assertIs(result["meta"]["test_mode"], True)
        self.assertEqual(result.headers["x-test-mode"], "1")
        bill = result.bill
        self.assertTrue(bill.test_mode)
        self.assertEqual(bill.credits_debited, GET_SCOPE)  # what a live read of the same plan costs
        self.assertEqual(bill.credits_remaining, before)  # the real balance, unchanged
        gql = test_client.graphql(
            "query($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }", {"b": self.barcode}
        )
        self.assertTrue(gql.bill.test_mode)
        self.assertIs(gql.extensions["billing"]["testMode"], True)
        self.assertEqual(gql.bill.credits_debited, GET_SCOPE)
        self.assertEqual(self.balance(), before)
        self.assertEqual(Decimal(str(test_client.balance()["credits_remaining"])), before)


class ListingTests(LiveTest):
    def test_the_iterator_walks_every_page_once(self) -> None:
        pages = list(self.client.iter_pages(per_page=2))
        self.assertGreaterEqual(len(pages), 3)
        items = [item for page in pages for item in page["items"]]
        barcodes = [i["barcode"] for i in items]
        self.assertEqual(len(barcodes), len(set(barcodes)))
        self.assertTrue(set(self.barcodes) <= set(barcodes))
        self.assertIsNone(pages[-1]["page_info"]["next_cursor"])
        whole = self.client.list_products(per_page=500)
        self.assertEqual(barcodes, [i["barcode"] for i in whole["items"]])
        self.assertEqual([i["barcode"] for i in self.client.iter_products(per_page=2)], barcodes)

    def test_filters(self) -> None:
        osem = [i["barcode"] for i in self.client.iter_products(brand="Osem אסם", per_page=1)]
        self.assertEqual(sorted(osem), ["7290000066318", "7290000068701"])
        fronts = list(self.client.iter_products(has_front=True, per_page=1))
        self.assertTrue(fronts)
        self.assertTrue(all("front" in i["variants"] for i in fronts))
        self.assertEqual(len(list(self.client.iter_pages(per_page=1, max_pages=2))), 2)
        since = self.client.list_products(updated_since=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
        self.assertTrue(set(self.barcodes) <= {i["barcode"] for i in since["items"]})
        self.assertEqual(since["page_info"]["order"], "updated_at")
        with self.assertRaises(ValueError):  # no offset: the API would refuse it, the client says so first
            self.client.list_products(updated_since=datetime.datetime(2000, 1, 1))
        with self.assertRaises(TypeError):  # a typo in a filter fails here, before any request
            next(self.client.iter_products(brandd="Osem"))


class WebhookTests(LiveTest):
    def _delivery(self, path: str, match: Dict[str, Any]) -> Dict[str, Any]:
        def probe() -> Optional[Dict[str, Any]]:
            for record in sink_records(path):
                event = json.loads(record["body"])
                if all(event.get(k) == v or event.get("data", {}).get(k) == v for k, v in match.items()):
                    return record
            return None

        return wait_for(f"a delivery to {path} matching {match}", probe)

    def test_a_real_delivery_verifies_and_a_tampered_one_does_not(self) -> None:
        path = f"/python-{uuid.uuid4().hex}"
        created = self.client.create_webhook(env("KC_WEBHOOK_SINK") + path, ["product.created", "product.updated"])
        secret = created["secret"]
        self.assertTrue(secret.startswith("whsec_"))
        try:
            barcode = random_barcode()
            admin("PUT", f"/admin/v1/products/{barcode}", {"brand": "Harness", "product_name": "Webhook Wafers", "ownership": "Harness Studio"})
            record = self._delivery(path, {"barcode": barcode, "type": "product.created"})
            event = verify_webhook(secret, record["headers"], record["body"])
            self.assertEqual(event["type"], "product.created")
            self.assertEqual(event["data"]["barcode"], barcode)

            admin("PUT", f"/admin/v1/products/{barcode}", {"brand": "Harness", "product_name": "Webhook Wafers 2", "ownership": "Harness Studio"})
            record = self._delivery(path, {"barcode": barcode, "type": "product.updated"})
            event = verify_webhook(secret, record["headers"], record["body"].encode("utf-8"))
            self.assertEqual(event["data"]["changed_fields"], ["product_name"])

            tampered = record["body"].replace(barcode, random_barcode())
            with self.assertRaises(WebhookVerificationError) as ctx:
                verify_webhook(secret, record["headers"], tampered)
            self.assertEqual(ctx.exception.code, "webhook_bad_signature")
            other = "whsec_" + "A" * 43 + "="
            with self.assertRaises(WebhookVerificationError):
                verify_webhook(other, record["headers"], record["body"])

            ping = self.client.test_webhook(created["id"])
            self.assertIn("request_id", ping["meta"])
            record = self._delivery(path, {"type": "webhook.test"})
            self.assertEqual(verify_webhook(secret, record["headers"], record["body"])["data"]["webhook_id"], created["id"])
        finally:
            self.client.delete_webhook(created["id"])
        self.assertNotIn(created["id"], [w["id"] for w in self.client.list_webhooks()["webhooks"]])


if __name__ == "__main__":
    unittest.main()
