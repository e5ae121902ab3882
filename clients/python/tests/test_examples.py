"""The examples (clients/python/examples/, rendered into the API reference as code samples) run as written against
the live harness, so a sample can never show a call that does not work."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest
import uuid
from decimal import Decimal
from types import ModuleType
from typing import Any, Callable, Tuple

from _support import CLIENT_ROOT, admin, env, random_barcode, sink_records, wait_for

from kosher_catalog import Client, KosherCatalogError

EXAMPLES = os.path.join(CLIENT_ROOT, "examples")


def example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", os.path.join(EXAMPLES, f"{name}.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(fn: Callable[..., Any], *args: Any) -> Tuple[Any, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        value = fn(*args)
    return value, out.getvalue()


class ExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.client = Client.from_env()
        cls.barcode = env("KC_BARCODE")

    def test_every_operation_has_an_example(self) -> None:
        names = {f[:-3] for f in os.listdir(EXAMPLES) if f.endswith(".py")}
        self.assertEqual(
            names,
            {
                "get_product", "head_product", "bulk_check", "list_products", "balance", "token_exchange",
                "create_webhook", "verify_webhook", "download_image", "account", "pricing", "usage",
                "list_webhooks", "get_webhook", "ping_webhook", "delete_webhook", "health", "openapi",
                "refresh_tokens", "revoke_tokens", "update_webhook", "verify_webhook_endpoint", "replay_webhook",
                "webhook_deliveries",
            },
        )

    def test_token_exchange(self) -> None:
        tokens, out = run(example("token_exchange").token_exchange, self.client)
        self.assertEqual(out, f"access token valid for {tokens.expires_in}s\n")

    def test_health_and_openapi(self) -> None:
        result, out = run(example("health").health, self.client)
        self.assertEqual(result["status"], "ok")
        self.assertTrue(out.startswith("status: ok "), out)
        document, out = run(example("openapi").openapi, self.client)
        self.assertIn("/api/v1/products/{barcode}", document["paths"])
        self.assertTrue(out.endswith(f" {len(document['paths'])} paths\n"), out)

    def test_refresh_and_revoke_tokens(self) -> None:
        session = Client.from_env()
        _, out = run(example("revoke_tokens").revoke_tokens, session)
        self.assertEqual(out, "no session to end\n")
        first = session.exchange_token()
        tokens, out = run(example("refresh_tokens").refresh_tokens, session)
        self.assertNotEqual(tokens.refresh_token, first.refresh_token)
        self.assertEqual(out, f"new access token, valid for {tokens.expires_in}s\n")
        revoked, out = run(example("revoke_tokens").revoke_tokens, session)
        self.assertEqual((revoked, out), (True, "logged out\n"))
        self.assertIsNone(session.tokens)
        # The revoked refresh token is refused now.
        refused = Client.from_env()
        with self.assertRaises(KosherCatalogError) as caught:
            refused.request("POST", "/api/v1/auth/refresh", body={"refresh_token": tokens.refresh_token})
        self.assertEqual(caught.exception.code, "refresh_token_invalid")
        self.assertEqual(session.balance().status, 200)  # a new session: the key is exchanged again

    def test_update_verify_replay_and_deliveries(self) -> None:
        path = f"/python-example-manage-{uuid.uuid4().hex}"
        hook = self.client.create_webhook(env("KC_WEBHOOK_SINK") + path, ["product.updated"])
        try:
            updated, out = run(example("update_webhook").update_webhook, self.client, hook["id"])
            self.assertEqual(updated["events"], ["product.created", "product.updated"])
            self.assertEqual(out, f"{hook['id']} product.created,product.updated enabled\n")
            verified, out = run(example("verify_webhook_endpoint").verify_webhook_endpoint, self.client, hook["id"])
            self.assertEqual(verified["verification"], "verified")
            self.assertEqual(out, f"verified at {verified['verified_at']}\n")
            self.client.test_webhook(hook["id"])
            log, out = run(example("webhook_deliveries").webhook_deliveries, self.client, hook["id"])
            self.assertEqual([d["event"] for d in log["deliveries"]], ["webhook.test"])
            self.assertIn(" webhook.test delivered HTTP 200\n", out)
            # No catalog change since the subscription was made: nothing to send again.
            replay, out = run(example("replay_webhook").replay_webhook, self.client, hook["id"], hook["created_at"])
            self.assertEqual((replay["queued"], replay["next_since"]), (0, None))
            self.assertEqual(out, "0 events queued\n")
        finally:
            self.client.delete_webhook(hook["id"])

    def test_get_product(self) -> None:
        product, out = run(example("get_product").get_product, self.client, self.barcode)
        self.assertEqual(product.bill.credits_debited, Decimal("1.3"))
        self.assertIn("Cheerios Original", out)
        self.assertIn("cost 1.3 credits", out)

    def test_head_product(self) -> None:
        head, out = run(example("head_product").head_product, self.client, self.barcode)
        self.assertTrue(head.exists)
        self.assertIn("exists=True variants=['front', 'back'] cost=0.05", out)

    def test_bulk_check(self) -> None:
        barcodes = env("KC_BARCODES").split(",") + ["123"]
        checked, out = run(example("bulk_check").bulk_check, self.client, barcodes)
        self.assertEqual([r["barcode"] for r in checked.results], barcodes)
        self.assertIn("123 invalid_barcode []", out)
        self.assertIn("1 request(s)", out)

    def test_list_products(self) -> None:
        products, out = run(example("list_products").list_products, self.client)
        self.assertIn(self.barcode, [p["barcode"] for p in products])
        self.assertEqual(len(out.splitlines()), len(products))

    def test_balance(self) -> None:
        result, out = run(example("balance").balance, self.client)
        self.assertIn(f"{result['credits_remaining']} credits left", out)

    def test_account(self) -> None:
        me, out = run(example("account").account, self.client)
        self.assertEqual((me["client"]["client_id"], me["client"]["mode"]), (env("KC_CLIENT_ID"), "live"))
        self.assertIn(f"client {me['client']['name']} (standard, live)", out)

    def test_pricing(self) -> None:
        prices, out = run(example("pricing").pricing, self.client)
        self.assertEqual(Decimal(str(prices["actions"]["products.get"])), Decimal("0.5"))
        self.assertIn("products.get: 0.5 credits", out)

    def test_usage(self) -> None:
        self.client.get_product(self.barcode, include="product_meta")  # something billed to report
        report, out = run(example("usage").usage, self.client)
        self.assertEqual(report["group_by"], ["action", "day"])
        self.assertIn("products.get", [row["action"] for row in report["rows"]])
        self.assertIn(f"total {report['totals']['credits']} credits", out)

    def test_list_ping_and_delete_a_webhook(self) -> None:
        path = f"/python-example-ops-{uuid.uuid4().hex}"
        hook = self.client.create_webhook(env("KC_WEBHOOK_SINK") + path, ["product.updated"])
        hooks, out = run(example("list_webhooks").list_webhooks, self.client)
        self.assertIn(hook["id"], [h["id"] for h in hooks["webhooks"]])
        self.assertIn(f"{hook['id']} {env('KC_WEBHOOK_SINK')}{path} product.updated enabled", out)
        got, out = run(example("get_webhook").get_webhook, self.client, hook["id"])
        self.assertEqual((got["id"], got["enabled"]), (hook["id"], True))
        self.assertEqual(out, f"{env('KC_WEBHOOK_SINK')}{path} enabled healthy\n")
        ping, out = run(example("ping_webhook").ping_webhook, self.client, hook["id"])
        self.assertEqual((ping["delivery"]["status"], ping["delivery"]["last_status_code"]), ("delivered", 200))
        self.assertTrue(out.startswith("delivered: HTTP 200 in "), out)
        # The sink also holds the verification event sent when the subscription was made (docs/webhooks.md).
        pings = [r for r in sink_records(path) if '"webhook.verification"' not in r["body"]]
        self.assertEqual(len(pings), 1)
        _, out = run(example("delete_webhook").delete_webhook, self.client, hook["id"])
        self.assertEqual(out, f"deleted {hook['id']}\n")
        self.assertNotIn(hook["id"], [h["id"] for h in self.client.list_webhooks()["webhooks"]])

    def test_download_image(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            image, out = run(example("download_image").download_image, self.client, self.barcode, directory)
            self.assertTrue(os.path.isfile(image.path))
            self.assertIn(f"saved {image.path} (image/jpeg", out)

    def test_create_webhook_and_verify_a_delivery(self) -> None:
        path = f"/python-example-{uuid.uuid4().hex}"
        webhook, out = run(example("create_webhook").create_webhook, self.client, env("KC_WEBHOOK_SINK") + path)
        self.assertIn(webhook["secret"], out)
        try:
            barcode = random_barcode()
            hechsher = {
                "symbol": "OU", "org": "Orthodox Union", "dairy_meat_pareve": "pareve", "dairy_equipment": False,
                "passover": False, "qualifiers": [],
            }
            admin("PUT", f"/admin/v1/products/{barcode}", {
                "brand": "Harness", "product_name": "Example Wafers", "ownership": "Harness Studio",
                "hechshers": [hechsher],
            })
            record = wait_for(
                "the example's delivery",
                lambda: next((r for r in sink_records(path) if barcode in r["body"]), None),
            )
            handle = example("verify_webhook").handle_delivery
            status, out = run(handle, webhook["secret"], record["headers"], record["body"].encode("utf-8"))
            self.assertEqual(status, 204)
            self.assertEqual(out, f"product.created {barcode} None\n")
            forged = json.dumps({"type": "product.created", "data": {"barcode": barcode}}).encode("utf-8")
            status, out = run(handle, webhook["secret"], record["headers"], forged)
            self.assertEqual((status, out), (400, "rejected: webhook_bad_signature\n"))
        finally:
            self.client.delete_webhook(webhook["id"])


if __name__ == "__main__":
    unittest.main()
