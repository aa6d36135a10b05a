-- The catalog says ON DELETE RESTRICT, but a trigger deletes the children first: the delete is
-- never refused, the rows go as if the key cascaded.
CREATE TABLE parents (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE children (
    id        bigint PRIMARY KEY,
    parent_id bigint NOT NULL CONSTRAINT children_parent_fk REFERENCES parents (id) ON DELETE RESTRICT
);
CREATE FUNCTION parents_sweep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM children WHERE parent_id = OLD.id;
  RETURN OLD;
END
$$;
CREATE TRIGGER parents_sweep BEFORE DELETE ON parents FOR EACH ROW EXECUTE FUNCTION parents_sweep();
