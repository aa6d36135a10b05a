-- A document store: jsonb documents with a shape CHECK, chunks with pgvector embeddings (vector,
-- halfvec, sparsevec), and an HNSW index.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE collections (
    collection_id integer PRIMARY KEY,
    name          text NOT NULL CONSTRAINT collections_name_key UNIQUE,
    settings      jsonb NOT NULL DEFAULT '{}' CONSTRAINT collections_settings_object CHECK (jsonb_typeof(settings) = 'object')
);

CREATE TABLE documents (
    doc_id        uuid PRIMARY KEY,
    collection_id integer NOT NULL CONSTRAINT documents_collection_fk REFERENCES collections (collection_id),
    title         text NOT NULL,
    body          jsonb NOT NULL,
    meta          json,
    version       integer NOT NULL DEFAULT 1 CONSTRAINT documents_version_positive CHECK (version > 0),
    created_at    timestamptz NOT NULL
);

CREATE TABLE chunks (
    doc_id    uuid NOT NULL CONSTRAINT chunks_doc_fk REFERENCES documents (doc_id) ON DELETE CASCADE,
    chunk_no  integer NOT NULL CONSTRAINT chunks_chunk_no_nonneg CHECK (chunk_no >= 0),
    content   text NOT NULL,
    embedding vector(8) NOT NULL,
    compact   halfvec(8),
    CONSTRAINT chunks_pkey PRIMARY KEY (doc_id, chunk_no)
);

CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops);

CREATE TABLE keywords (
    doc_id  uuid PRIMARY KEY CONSTRAINT keywords_doc_fk REFERENCES documents (doc_id),
    weights sparsevec(1000) NOT NULL
);
