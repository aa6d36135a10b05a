-- Mutant: vector_search ignores its filter.
create or replace function vector_search(query_embedding vector, top_k integer, filter jsonb default '{}')
  returns table (id text, similarity double precision, metadata jsonb)
  language sql
  stable
as $$
  select v.id,
         1 - (v.embedding <=> query_embedding),
         v.metadata
    from vectors v
   order by v.embedding <=> query_embedding
   limit top_k
$$;
