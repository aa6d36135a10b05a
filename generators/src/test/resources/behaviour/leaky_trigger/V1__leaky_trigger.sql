-- A trigger with effects a rollback does not undo: a session-level advisory lock (a lock leak)
-- and a number drawn from a counter sequence that no column owns.
CREATE SEQUENCE ticket_numbers;
CREATE TABLE tickets (id bigint PRIMARY KEY, number bigint, title text NOT NULL);
CREATE FUNCTION tickets_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_lock(4242);
  NEW.number := nextval('ticket_numbers');
  RETURN NEW;
END
$$;
CREATE TRIGGER tickets_number BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_number();
