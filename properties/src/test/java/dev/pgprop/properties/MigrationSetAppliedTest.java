package dev.pgprop.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;

/**
 * The suite runs on the configured migration set ({@code -Dpgprop.migrations}, placeholders):
 * every migration Flyway finds in those locations is applied to the class's database, extra
 * locations of the user's included.
 */
class MigrationSetAppliedTest {

    @Test
    void everyMigrationOfTheConfiguredLocationsIsApplied() {
        MigrationSet set = MigrationSet.fromConfig();
        try (TestDatabase db = PgProp.server().createDatabase(set, getClass().getSimpleName())) {
            MigrationInfo[] all = Flyway.configure(getClass().getClassLoader())
                    .dataSource(db.jdbcUrl(), db.user().orElse(null), db.password().orElse(null))
                    .locations(set.locations().toArray(String[]::new))
                    .placeholders(ServerRuntime.effectivePlaceholders(set))
                    .load()
                    .info()
                    .all();
            List<String> notApplied = Arrays.stream(all)
                    .filter(m -> m.getState() != MigrationState.SUCCESS)
                    .map(m -> m.getScript() + " " + m.getState())
                    .toList();
            System.out.println("pgprop: applied " + Arrays.stream(all).map(MigrationInfo::getScript).toList()
                    + " from " + set.locations());
            assertThat(all).as("migrations found in " + set.locations()).isNotEmpty();
            assertThat(notApplied).as("migrations not applied").isEmpty();
            int tables = db.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from pg_tables where schemaname = 'public' and tablename <> 'flyway_schema_history'")
                    .mapTo(Integer.class).one());
            assertThat(tables).isPositive();
        }
    }
}
