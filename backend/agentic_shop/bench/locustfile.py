"""The shoppers of `shop bench http`, for locust (`python -m locust -f this file`; the scenario comes in
BENCH_SCENARIO, the products in BENCH_PRODUCTS).

Every simulated shopper has its own cookie jar and signs in through the shoppers page as a browser
does (CSRF token and all); every answer that names a shopper is checked to name this one, and a
mismatch is a failure called "wrong shopper". No think time: each shopper asks again as soon as it has
its answer, so the numbers are the most the server serves at that concurrency.
"""

from __future__ import annotations

import itertools
import os
import re
import time
import uuid
from datetime import datetime

from locust import FastHttpUser, constant, task

# "1:Maya,2:Daniel,...": the personas, and the first name each one's pages must show.
PERSONAS = dict(
    (int(i), name)
    for i, name in (pair.split(":", 1) for pair in os.environ.get("BENCH_PERSONAS", "1:?").split(","))
)
SCENARIO = os.environ.get("BENCH_SCENARIO", "mix")
PRODUCTS = [int(p) for p in os.environ.get("BENCH_PRODUCTS", "1").split(",")]
SEARCHES = ("running shoes", "headphones with noise cancellation", "waterproof", "smartwatch", "gift")
MESSAGES = ("headphones under $100", "is it available in black?", "what do you know about me?", "hello")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CHIP = re.compile(r'class="shopper-chip".*?<span>([^<]*)</span>', re.S)
_numbers = itertools.count()


class Shopper(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        n = next(_numbers)
        self.user_id = list(PERSONAS)[n % len(PERSONAS)]
        self.name = PERSONAS[self.user_id]
        self.products = itertools.cycle(PRODUCTS[n % len(PRODUCTS) :] + PRODUCTS[: n % len(PRODUCTS)])
        self.searches = itertools.cycle(SEARCHES)
        self.messages = itertools.cycle(MESSAGES)
        if SCENARIO == "bare":
            return
        picker = self.client.get("/shoppers", name="sign in")
        self.csrf = _CSRF.search(picker.text).group(1)
        self._form("/shoppers/select", {"user_id": self.user_id}, "sign in")
        self.json_headers = {"X-CSRF-Token": self.csrf}

    # --- checks -------------------------------------------------------------------------------------
    def _page(self, path: str, name: str, *, chip: bool = True) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif chip and (_CHIP.search(response.text) or [None, None])[1] != self.name:
                response.failure("wrong shopper")

    def _form(self, path: str, data: dict, name: str) -> None:
        with self.client.post(
            path, data=data | {"csrf_token": self.csrf}, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:  # redirects are followed: 200 is the page after
                response.failure(f"HTTP {response.status_code}")

    def _fail(self, name: str, why: str) -> None:
        """A check that failed on an answer that was itself fine."""
        self.environment.events.request.fire(
            request_type="CHECK", name=name, response_time=0, response_length=0,
            exception=AssertionError(why), context={},
        )  # fmt: skip

    def _json(self, method: str, path: str, name: str, **kwargs):
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
                return None
            body = response.json() if response.text else None
            if isinstance(body, list) and any(
                isinstance(item, dict) and item.get("user_id") not in (None, str(self.user_id))
                for item in body
            ):
                response.failure("wrong shopper")
            return body

    # --- what a shopper does ------------------------------------------------------------------------
    def catalog(self) -> None:
        self._page("/", "catalog page")

    def search(self) -> None:
        self._page(f"/?q={next(self.searches)}", "search page")

    def product(self) -> None:
        self._page(f"/products/{next(self.products)}", "product page")

    def personalized(self) -> None:
        self._page(f"/products/{next(self.products)}/personalized", "personalized section", chip=False)

    def review_summary(self) -> None:
        self._page(f"/products/{next(self.products)}/summary", "review summary", chip=False)

    def product_api(self) -> None:
        self._json("GET", "/api/v1/products", "product list API")

    def me(self) -> None:
        body = self._json("GET", "/api/v1/me", "who am I")
        if body is not None and body.get("id") != self.user_id:
            self._fail("who am I", "wrong shopper")

    def assistant(self) -> None:
        body = {"message": next(self.messages), "product_id": next(self.products)}
        self._json("POST", "/api/v1/assistant", "assistant turn", json=body, headers=self.json_headers)

    def memory_edit(self) -> None:
        """Remember a note word for word, read it back, delete it (whichever worker answers: no write
        lost, no one else's), and check the personalized section is not older than the change."""
        note = f"Bench note {uuid.uuid4().hex[:12]}"
        before = time.time()
        self._form("/memories/restore", {"text": note}, "memory edit")
        found = self._json("GET", "/api/v1/me/memories", "memory list") or []
        mine = [m for m in found if m.get("memory") == note]
        if not mine:
            self._fail("memory edit", "write lost")
            return
        product = next(self.products)
        section = self._json("GET", f"/api/v1/products/{product}/personalization", "personalization API")
        if (
            section
            and section.get("cached")
            and datetime.fromisoformat(section["cached_at"]).timestamp() < before
        ):
            self._fail("personalization API", "stale cache")
        self._json("DELETE", f"/api/v1/me/memories/{mine[0]['id']}", "memory edit", headers=self.json_headers)

    @task
    def step(self) -> None:
        SCENARIOS[SCENARIO](self)


def _bare(user: Shopper) -> None:
    with user.client.get("/products", name="bare product list", catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")


# A shopper's visit, weighted roughly as people browse: mostly pages, now and then a question or an edit.
_MIX = [Shopper.catalog] * 4 + [Shopper.search] * 2 + [Shopper.product] * 4 + [Shopper.personalized] * 3
_MIX += [Shopper.review_summary] * 2 + [Shopper.product_api] * 2 + [Shopper.me, Shopper.assistant]
_MIX += [Shopper.memory_edit]
_mix_steps = itertools.cycle(range(len(_MIX)))

SCENARIOS = {
    "bare": _bare,
    "product list API": Shopper.product_api,
    "catalog page": Shopper.catalog,
    "product page": Shopper.product,
    "personalized section (cached)": Shopper.personalized,
    "mix": lambda user: _MIX[next(_mix_steps)](user),
}
