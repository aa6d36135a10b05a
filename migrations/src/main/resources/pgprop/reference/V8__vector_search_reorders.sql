-- vector_search returns its rows nearest first also when the index scan does not.
--
-- With pgvector's iterative index scans in relaxed_order (hnsw.iterative_scan), an index scan
-- may return rows slightly out of distance order; relaxed_order finds more of a filtered
-- top-k than strict_order (BENCHMARKS.md: 0.98 against 0.92 for a 5 % filter at 100,000 rows).
-- So the index scan picks the top_k rows and an outer ORDER BY sorts those few rows.
--
-- Still inlinable (LANGUAGE sql, STABLE, one SELECT, no SET clause, not STRICT): the planner
-- sees ORDER BY embedding <=> <query> LIMIT top_k in the subquery and uses
-- vectors_embedding_hnsw. Iterative scans are switched on per session, not here: a SET clause
-- would stop the inlining.
create or replace function vector_search(query_embedding vector, top_k integer, filter jsonb default '{}')
  returns table (id text, similarity double precision, metadata jsonb)
  language sql
  stable
as $$
  select s.id,
         1 - s.distance,
         s.metadata
    from (select v.id,
                 v.embedding <=> query_embedding as distance,
                 v.metadata
            from vectors v
           where v.metadata @> filter
           order by v.embedding <=> query_embedding
           limit top_k) s
   order by s.distance
$$;
