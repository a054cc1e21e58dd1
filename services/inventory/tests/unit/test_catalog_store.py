"""The catalog cache's store on its own: LRU bound, TTL, which writes drop which entries."""

from __future__ import annotations

from bazaar_common.testing.clock import FakeClock
from bazaar_inventory.catalog_cache.store import CachedBody, CatalogStore, SkuSpan


def make_store(clock: FakeClock, *, max_entries: int = 10, ttl: float = 2.0) -> CatalogStore:
    return CatalogStore(max_entries=max_entries, ttl_seconds=ttl, clock=clock)


def body(shows: SkuSpan, read_at: float = 0.0) -> CachedBody:
    return CachedBody(b"{}", '"e"', shows, read_at)


def put(store: CatalogStore, key: str, shows: SkuSpan) -> bool:
    generation, read_at = store.read_began()
    return store.put(key, body(shows, read_at), read_in_generation=generation)


def test_the_least_recently_used_entry_goes_first():
    store = make_store(FakeClock(), max_entries=2)
    for key in ("a", "b"):
        put(store, key, SkuSpan.product(key))
    store.get("a")
    put(store, "c", SkuSpan.product("c"))

    assert len(store) == 2
    assert store.get("b") is None
    assert store.get("a") is not None
    assert store.get("c") is not None
    assert store.counts.evictions == 1


def test_an_entry_expires_at_the_ttl_counted_from_its_read():
    clock = FakeClock()
    store = make_store(clock, ttl=2.0)
    put(store, "a", SkuSpan.product("a"))

    clock.advance(1.99)
    assert store.get("a") is not None
    clock.advance(0.01)
    assert store.get("a") is None


def test_a_page_is_dropped_by_a_write_to_any_sku_it_spans():
    store = make_store(FakeClock())
    put(store, "first", SkuSpan.page(after=None, through="C"))
    put(store, "last", SkuSpan.page(after="C", through=None))
    put(store, "product", SkuSpan.product("B"))

    store.invalidate(["Z"])  # a new product at the end: only the last page can hold it
    assert [key for key in ("first", "last", "product") if store.get(key)] == ["first", "product"]

    store.invalidate(["A"])  # between the first page's cursor and its last item
    assert [key for key in ("first", "product") if store.get(key)] == ["product"]


def test_a_read_that_overlapped_a_write_to_its_skus_is_not_kept():
    store = make_store(FakeClock())
    generation, read_at = store.read_began()
    store.invalidate(["B"])
    store.invalidate(["Q"])

    assert not store.put("b", body(SkuSpan.product("B"), read_at), read_in_generation=generation)
    assert store.put("a", body(SkuSpan.product("A"), read_at), read_in_generation=generation)
    generation, read_at = store.read_began()
    store.clear()
    assert not store.put("a", body(SkuSpan.product("A"), read_at), read_in_generation=generation)


def test_the_notify_echo_of_an_own_write_drops_nothing_more():
    store = make_store(FakeClock())
    store.invalidate(["A"], local=True)
    put(store, "a", SkuSpan.product("A"))

    store.heard("A")  # the echo of that write
    assert store.get("a") is not None
    store.heard("A")  # another process's write
    assert store.get("a") is None


def test_an_empty_notify_empties_the_cache():
    store = make_store(FakeClock())
    put(store, "a", SkuSpan.product("A"))
    store.heard("")
    assert len(store) == 0


def test_nothing_is_served_or_kept_while_not_serving():
    store = make_store(FakeClock())
    put(store, "a", SkuSpan.product("A"))
    listening = False
    store.serve_only_when(lambda: listening)

    assert store.get("a") is None
    assert not put(store, "b", SkuSpan.product("B"))
    listening = True
    assert store.get("a") is not None


def test_a_size_or_ttl_of_zero_turns_the_cache_off():
    for store in (make_store(FakeClock(), max_entries=0), make_store(FakeClock(), ttl=0)):
        assert not store.serving
        assert not put(store, "a", SkuSpan.product("A"))


def test_the_bodies_held_stay_within_the_byte_bound():
    store = CatalogStore(max_entries=10, ttl_seconds=2, clock=FakeClock(), max_bytes=10)

    def put_body(key: str, size: int) -> bool:
        generation, read_at = store.read_began()
        entry = CachedBody(b"x" * size, '"e"', SkuSpan.product(key), read_at)
        return store.put(key, entry, read_in_generation=generation)

    assert put_body("a", 4)
    assert put_body("b", 4)
    assert put_body("a", 5)  # replaced, not counted twice: 9 bytes
    assert store.bytes_held == 9
    assert put_body("c", 3)  # 12 > 10: the least recently used (b) goes
    assert (store.get("b"), store.bytes_held) == (None, 8)
    assert not put_body("d", 11)  # larger than the whole cache: never kept
    store.invalidate(["a"])
    assert store.bytes_held == 3
