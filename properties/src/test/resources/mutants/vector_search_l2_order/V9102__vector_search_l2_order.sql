-- Mutant: vector_search orders by L2 distance instead of cosine distance (the same order only
-- when every vector has the same length).
create or replace function vector_search(query_embedding vector, top_k integer, filter jsonb default '{}')
  returns table (id text, similarity double precision, metadata jsonb)
  language sql
  stable
as $$
  select v.id,
         1 - (v.embedding <=> query_embedding),
         v.metadata
    from vectors v
   where v.metadata @> filter
   order by v.embedding <-> query_embedding
   limit top_k
$$;
