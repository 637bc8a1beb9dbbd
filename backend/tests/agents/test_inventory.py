"""The inventory agent (workshop chapter 7): the colors and size a shopper told us about, against a
product's variants, each answer naming its memory; cached until a memory changes; closed to others."""

from agentic_shop.memory.service import MemoryService
from agentic_shop.services import agents
from tests.agents.conftest import say

MAYA, DANIEL = "1", "2"  # Maya: "I prefer black color", "I wear running shoes in US size 10"
TRAIL_SHOES = 6  # Black and White, sizes 7.5-11.5; Black in size 11 out of stock
RIDGE_SHOES = 26  # White, Red and Orange: no Black
SPEAKER = 10  # colors only


def _own_memory_ids(db, user_id):
    return {m.id for m in MemoryService(connection=db.connection(), llm=None).get_all(user_id)}


def test_the_colors_and_size_a_shopper_told_us_about_are_checked_against_the_variants(db):
    alerts = agents.stock_alert(db, MAYA, TRAIL_SHOES)["alerts"]
    assert [a["in_stock"] for a in alerts] == [True, True]
    color, size = (a["text"] for a in alerts)
    assert color.startswith("You prefer black") and "available in Black" in color
    assert "size 10" in size and "available in size 10, 30 in stock" in size
    assert {a["memory_id"] for a in alerts} <= _own_memory_ids(db, MAYA)

    ridge = agents.stock_alert(db, MAYA, RIDGE_SHOES)["alerts"]
    assert ridge[0]["text"].endswith("not made in Black") and not ridge[0]["in_stock"]


def test_only_what_the_product_comes_in_is_checked(db):
    alerts = agents.stock_alert(db, MAYA, SPEAKER)["alerts"]  # a speaker has colors, no sizes
    assert [a["text"] for a in alerts] == ["You prefer black color: not made in Black"]
    assert agents.stock_alert(db, DANIEL, TRAIL_SHOES)["alerts"] == []  # Daniel named no color or size


def test_it_is_cached_until_a_memory_changes_and_then_follows_the_new_one(db):
    first = agents.stock_alert(db, MAYA, RIDGE_SHOES)
    again = agents.stock_alert(db, MAYA, RIDGE_SHOES)
    assert not first["cached"] and again["cached"] and again["run_id"] == first["run_id"]
    say(db, MAYA, "I prefer red now")
    after = agents.stock_alert(db, MAYA, RIDGE_SHOES)
    assert not after["cached"]
    texts = [a["text"] for a in after["alerts"]]
    assert any(t.startswith("You prefer red") and "available in Red" in t for t in texts)
    assert not any("black" in t.lower() for t in texts)  # "Prefers black color" was superseded


def test_the_trace_names_the_memories_it_used(db):
    result = agents.stock_alert(db, MAYA, TRAIL_SHOES)
    run = agents.get_run(db, MAYA, result["run_id"])
    assert [s["node"] for s in run["steps"]] == ["recall_memories", "load_product", "check_stock"]
    used = {m["id"] for m in run["steps"][-1]["memories_used"]}
    assert used == {a["memory_id"] for a in result["alerts"]}


def test_private_mode_reads_no_memories(db):
    assert agents.stock_alert(db, MAYA, TRAIL_SHOES, private=True)["alerts"] == []


def test_over_http_the_shopper_comes_from_the_session(client):
    assert (
        client.get(f"/api/v1/products/{TRAIL_SHOES}/stock-alert", headers={"X-User-Id": "1"}).status_code
        == 401
    )
    assert client.post("/api/v1/session", json={"user_id": 2}).status_code == 200
    daniel = client.get(f"/api/v1/products/{TRAIL_SHOES}/stock-alert").json()
    assert daniel["alerts"] == [] and daniel["engine"] == "offline engine"  # never Maya's memories
    assert client.get("/api/v1/products/999999/stock-alert").status_code == 404
    assert client.post("/api/v1/session", json={"user_id": 1}).status_code == 200
    maya = client.get(f"/api/v1/products/{TRAIL_SHOES}/stock-alert").json()
    assert len(maya["alerts"]) == 2


def test_the_product_page_shows_it_as_a_fragment(client):
    anonymous = client.get(f"/products/{TRAIL_SHOES}/stock")
    assert anonymous.status_code == 200 and "Choose a shopper" in anonymous.text
    assert client.post("/api/v1/session", json={"user_id": 1}).status_code == 200
    page = client.get(f"/products/{RIDGE_SHOES}/stock").text
    assert "not made in Black" in page and "Because you told us" in page
    assert 'hx-get="/products/6/stock"' in client.get(f"/products/{TRAIL_SHOES}").text
