package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sessions a property left open on its class's database that pgprop did not open (a connection
 * its actions opened and never closed): found after the property, terminated, and described.
 */
public final class Leaks {
    private Leaks() {}

    /** Terminates every session on the class's database that is not one of pgprop's; describes each. */
    public static List<String> reclaim(ClassDatabase db) {
        List<Integer> ours = db.pool().backendPids();
        List<String> leaked = new ArrayList<>();
        try (Connection c = ServerRuntime.get().adminConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pid, application_name, state, left(query, 100),"
                     + " pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND backend_type = 'client backend'"
                     + " AND pid <> pg_backend_pid() AND NOT (pid = ANY (?))")) {
            Array pids = c.createArrayOf("int4", ours.toArray());
            ps.setString(1, db.database().name());
            ps.setArray(2, pids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leaked.add("pid " + rs.getInt(1) + " (application_name '" + rs.getString(2) + "', " + rs.getString(3)
                            + ", last query: " + rs.getString(4) + ")");
                }
            }
        } catch (SQLException e) {
            // the check is a help; a server that cannot answer is reported by what comes next
        }
        return leaked;
    }
}
