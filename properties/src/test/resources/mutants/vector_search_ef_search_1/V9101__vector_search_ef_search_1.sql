-- Mutant: vector_search runs with hnsw.ef_search = 1, so the HNSW search keeps one candidate.
create or replace function vector_search(query_embedding vector, top_k integer, filter jsonb default '{}')
  returns table (id text, similarity double precision, metadata jsonb)
  language sql
  stable
  set hnsw.ef_search = 1
as $$
  select v.id,
         1 - (v.embedding <=> query_embedding),
         v.metadata
    from vectors v
   where v.metadata @> filter
   order by v.embedding <=> query_embedding
   limit top_k
$$;
