-- Raises what CREATE EXTENSION vector raises on a server without pgvector,
-- so the "missing pgvector" message can be tested on a server that has it.
do $$
begin
  raise exception 'extension "vector" is not available'
    using errcode = '0A000',
          detail = 'Could not open extension control file "/usr/share/postgresql/15/extension/vector.control": No such file or directory.',
          hint = 'The extension must first be installed on the system where PostgreSQL is running.';
end
$$;
