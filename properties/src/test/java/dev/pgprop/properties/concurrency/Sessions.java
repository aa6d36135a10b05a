package dev.pgprop.properties.concurrency;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Interleaving;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Session settings the suite's interleavings share. */
final class Sessions {
    /** deadlock_timeout in the suite's sessions: a deadlock costs this, not the server's default second. */
    static final Duration DEADLOCK_TIMEOUT = Duration.ofMillis(50);
    private static volatile @Nullable Boolean superuser;

    private Sessions() {}

    /** Whether pgprop's role is a superuser (who alone may change deadlock_timeout). */
    static boolean superuser(Db db) {
        Boolean s = superuser;
        if (s == null) {
            s = Boolean.TRUE.equals(db.rows("select rolsuper from pg_roles where rolname = current_user").get(0).get("rolsuper"));
            superuser = s;
        }
        return s;
    }

    /** The interleaving with a short deadlock_timeout where the server lets us set it. */
    static Interleaving fastDeadlocks(Db db, Interleaving il) {
        return superuser(db) ? il.withSetting("deadlock_timeout", DEADLOCK_TIMEOUT.toMillis() + "ms") : il;
    }

    /** The deadlock_timeout the sessions of {@link #fastDeadlocks} run with. */
    static Duration deadlockTimeout(Db db) {
        if (superuser(db)) {
            return DEADLOCK_TIMEOUT;
        }
        String v = String.valueOf(db.rows("select setting from pg_settings where name = 'deadlock_timeout'").get(0).get("setting"));
        return Duration.ofMillis(Long.parseLong(v));
    }
}
