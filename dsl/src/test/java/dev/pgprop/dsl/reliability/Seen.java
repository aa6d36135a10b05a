package dev.pgprop.dsl.reliability;

/**
 * The first line a user sees for each bad input and fault that the tests of this package try.
 */
final class Seen {
    private Seen() {}

    static final String PG_BIN_MISSING = "pgprop.pgBin is '/opt/no-such-postgresql/bin' (from -Dpgprop.pgBin), but that folder does not exist.";
    static final String CONNECTION_REFUSED = "cannot connect to the external server (existing server jdbc:postgresql://127.0.0.1:9/postgres)";
    static final String NO_CREATEDB = "the role 'pgprop_no_createdb' on the external server";
    static final String SERVER_GONE = "the PostgreSQL server is gone (local";
    static final String REPLAY_OTHER_PROPERTY = "pgprop.replay holds a sample of dev.pgprop.dsl.reliability.ReplayIdentityTest$TwoProperties#heavy";
    static final String REPLAY_STALE = "the replay sample does not belong to dev.pgprop.dsl.reliability.ReplayIdentityTest$TwoProperties#heavy as it is now";
    static final String DISK_TOO_SMALL = "not enough free disk for the local cluster: ";
    static final String STATEMENT_TIMEOUT = "whenCommitted(read committed) failed with STATEMENT_TIMEOUT [57014] canceling statement due to statement timeout.";
    static final String TOO_MANY_SESSIONS = "this suite may open 340 sessions at once, more than the server accepts: 20 JVM(s) (pgprop.jvms) × 17";
    static final String PGVECTOR_VERSION = "the migrations ask for pgvector 99.0.0 (V1__asks_for_pgvector_99.sql: CREATE EXTENSION vector VERSION '99.0.0'), but the external server";
    static final String DISK_FULL = "disk full on the server (SQLSTATE 53100), not an invariant violation (the try was not shrunk; the following tries ran on fresh sessions): ";
    static final String SERVER_OUT_OF_MEMORY = "out of memory on the server (SQLSTATE 53200), not an invariant violation (the try was not shrunk; the following tries ran on fresh sessions): ";
    static final String CONNECTION_LEAK = "the property left 3 session(s) open on ";
}
