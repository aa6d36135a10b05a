package dev.pgprop.properties.migrations;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import dev.pgprop.migrations.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Databases the migration properties migrate themselves (pgprop's class databases arrive
 * migrated): empty ones on the suite's server, Flyway on them, a catalog snapshot, and the drop.
 */
final class MigrationDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Tables, columns, constraints, indexes, functions, triggers, policies and grants of public and auth. */
    static final String SNAPSHOT = """
            select 'column' as kind, c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || case when a.attnotnull then ' not null' else '' end
                   || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') as what
              from pg_attribute a join pg_class c on c.oid = a.attrelid
              left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
             where c.relnamespace in ('public'::regnamespace, 'auth'::regnamespace) and c.relkind in ('r', 'p', 'v')
               and c.relname not like '%schema_history' and a.attnum > 0 and not a.attisdropped
            union all
            select 'constraint', conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
              from pg_constraint where connamespace = 'public'::regnamespace
               and conrelid::regclass::text not like '%schema_history'
            union all
            select 'index', pg_get_indexdef(indexrelid) from pg_index i join pg_class c on c.oid = i.indrelid
             where c.relnamespace = 'public'::regnamespace and c.relname not like '%schema_history'
            union all
            select 'function', p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid))
              from pg_proc p where p.pronamespace in ('public'::regnamespace, 'auth'::regnamespace) and p.prokind = 'f'
               and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
            union all
            select 'trigger', pg_get_triggerdef(t.oid) from pg_trigger t where not t.tgisinternal
            union all
            select 'policy', tablename || '.' || policyname || ' ' || cmd || ' ' || array_to_string(roles, ',')
                   || ' ' || coalesce(qual, '') from pg_policies
            union all
            select 'rls', relname || ' ' || relrowsecurity from pg_class
             where relnamespace = 'public'::regnamespace and relkind = 'r' and relname not like '%schema_history'
            union all
            select 'grant', table_name || ' ' || grantee || ' ' || privilege_type from information_schema.role_table_grants
             where table_schema = 'public' and grantee in ('anon', 'authenticated', 'service_role')
            order by 1, 2
            """;

    private MigrationDatabases() {}

    /** A new, empty database on the suite's server. */
    static String create(String label) {
        String name = "pgprop_mig_" + label + "_" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid();
        admin("create database " + name);
        return name;
    }

    static void drop(String name) {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static Connection connect(String database) throws SQLException {
        return ServerRuntime.get().connect(database);
    }

    /** Flyway on the database with the reference migrations (and more locations), up to {@code target} or the latest. */
    static Flyway flyway(String database, String target, String... moreLocations) {
        List<String> locations = new ArrayList<>(List.of(Migrations.LOCATION));
        locations.addAll(List.of(moreLocations));
        ServerRuntime rt = ServerRuntime.get();
        return Flyway.configure(MigrationDatabases.class.getClassLoader())
                .dataSource(rt.jdbcUrl(database), rt.user(), rt.password())
                .locations(locations.toArray(String[]::new))
                .placeholders(ServerRuntime.effectivePlaceholders(MigrationSet.fromConfig()))
                .target(target)
                .cleanDisabled(true)
                .connectRetries(0)
                .load();
    }

    static MigrateResult migrate(String database, String target) {
        return flyway(database, target).migrate();
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i == 1 ? "" : " | ").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    static List<String> snapshot(String database) throws SQLException {
        try (Connection c = connect(database)) {
            return rows(c, SNAPSHOT);
        }
    }

    static List<String> history(String database) throws SQLException {
        try (Connection c = connect(database)) {
            return rows(c, "select installed_rank, version, description, script, checksum, success"
                    + " from flyway_schema_history order by installed_rank");
        }
    }
}
