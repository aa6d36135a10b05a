package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Property;
import net.jqwik.api.Group;
import org.junit.jupiter.api.Test;

/**
 * A property class has one database for all its properties, dropped when the class ends, and no
 * run warns "closing the database of … failed: You cannot create Store…" (the class's database
 * was kept in a jqwik Store: created inside a property, the store was scoped to that property, so
 * every property cloned a database of its own, and the container hook could not create its own
 * store while a property's was registered).
 */
class ClassLifecycleTest {
    static final List<String> DATABASES = new ArrayList<>();
    static final List<String> NESTED = new ArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class ThreeProperties {
        @Property(tries = 3)
        void one(Db db) {
            DATABASES.add(db.database().name());
        }

        @Property(tries = 3)
        void two(Db db) {
            DATABASES.add(db.database().name());
        }

        @Group
        class Nested {
            @Property(tries = 2)
            void three(Db db) {
                NESTED.add(db.database().name());
            }
        }

        @Property(tries = 3)
        void four(Db db) {
            DATABASES.add(db.database().name());
        }
    }

    @Test
    void oneDatabasePerClassDroppedAtItsEndWithoutAStoreWarning() throws Exception {
        DATABASES.clear();
        NESTED.clear();
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Jqwik.run(ThreeProperties.class).testEvents().assertStatistics(s -> s.succeeded(4).failed(0));
        } finally {
            System.setErr(original);
        }
        String logged = err.toString(StandardCharsets.UTF_8);
        original.print(logged);
        assertThat(logged).doesNotContain("cannot create Store").doesNotContain("closing the database of");
        assertThat(DATABASES).as("tries of the class's own properties").hasSize(9);
        assertThat(new LinkedHashSet<>(DATABASES)).as("databases of the class's own properties").hasSize(1);
        assertThat(new LinkedHashSet<>(NESTED)).as("databases of the group's property").hasSize(1);
        Set<String> all = new LinkedHashSet<>(DATABASES);
        all.addAll(NESTED);
        try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement()) {
            for (String db : all) {
                try (ResultSet rs = s.executeQuery("select count(*) from pg_database where datname = '" + db + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(db + " is dropped after the class").isZero();
                }
            }
        }
    }
}
