import psycopg
from psycopg.adapt import PyFormat

from agentic_shop.embeddings import EMBEDDING_DIM
from agentic_shop.memory import store


def test_mem0_sends_query_vectors_in_pgvectors_text_form_on_every_connection(connection):
    # Connections the pool opened before store was imported (migrations, the first request) never see
    # psycopg's global adapters change, so the text form is set on each connection mem0 is handed:
    # as an array literal a 384-number vector costs ~1 ms of every memory search.
    pool = store.SharedConnectionPool()
    vector = store.ProjectEmbedding().embed("a vector for the check")
    assert len(vector) == EMBEDDING_DIM
    with pool.connection() as raw:  # unbound: a read on a connection of its own
        assert raw.adapters.get_dumper(type(vector), PyFormat.AUTO) is store._VectorLiteralDumper
        assert raw.execute("SELECT vector_dims(%s::vector)", (vector,)).fetchone()[0] == EMBEDDING_DIM
    with store.bind(connection), pool.connection() as raw:
        assert raw.adapters.get_dumper(type(vector), PyFormat.AUTO) is store._VectorLiteralDumper
    # A connection opened outside mem0's pool keeps psycopg's default (nothing global changed).
    assert psycopg.adapters.get_dumper(type(vector), PyFormat.AUTO) is not store._VectorLiteralDumper
