-- Embeddings with metadata, and vector_search().
-- ${embedding_dim} is a Flyway placeholder; its default is in
-- placeholders.properties beside this file.

create table vectors (
  id         text        not null primary key,
  embedding  vector(${embedding_dim}) not null,
  metadata   jsonb       not null default '{}',
  created_at timestamptz not null default now(),
  constraint vectors_metadata_object check (jsonb_typeof(metadata) = 'object')
);

create index vectors_embedding_hnsw on vectors using hnsw (embedding vector_cosine_ops);

-- The top_k rows whose metadata contains filter, nearest first by cosine
-- distance, with similarity = 1 - cosine distance.
--
-- Kept inlinable on purpose: LANGUAGE sql, STABLE, one SELECT, not STRICT,
-- no SECURITY DEFINER, no SET clause. The planner then replaces the call by
-- its body, sees ORDER BY embedding <=> <query> LIMIT k, and can use
-- vectors_embedding_hnsw. It orders by distance only: a tie-break column
-- would stop the index from providing the order.
--
-- As with any HNSW search the answer is approximate: rows are filtered after
-- the index scan, which visits hnsw.ef_search candidates (40 by default), so
-- a selective filter can return fewer than top_k rows unless
-- hnsw.iterative_scan is enabled or ef_search is raised.
create function vector_search(query_embedding vector, top_k integer, filter jsonb default '{}')
  returns table (id text, similarity double precision, metadata jsonb)
  language sql
  stable
as $$
  select v.id,
         1 - (v.embedding <=> query_embedding),
         v.metadata
    from vectors v
   where v.metadata @> filter
   order by v.embedding <=> query_embedding
   limit top_k
$$;
