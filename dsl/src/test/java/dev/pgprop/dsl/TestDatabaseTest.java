package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Databases cloned from templates: one template per migration set, one database per class. */
class TestDatabaseTest {
    private static final MigrationSet TINY = MigrationSet.of("classpath:pgprop-test/tiny");

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String labelType(TestDatabase db) throws Exception {
        try (Connection c = db.openConnection()) {
            return scalar(c, "select format_type(atttypid, atttypmod) from pg_attribute"
                    + " where attrelid = 'widget'::regclass and attname = 'label'");
        }
    }

    @Test
    void aPlaceholderDefaultsFromTheLocationAndCanBeOverridden() throws Exception {
        try (TestDatabase byDefault = PgProp.server().createDatabase(TINY, "Defaults");
                TestDatabase wide = PgProp.server().createDatabase(TINY.withPlaceholder("label_width", "40"), "Wide")) {
            assertThat(labelType(byDefault)).isEqualTo("character varying(12)");
            assertThat(labelType(wide)).isEqualTo("character varying(40)");
        }
    }

    @Test
    void oneTemplatePerMigrationSetAndEachDatabaseIsItsOwn() throws Exception {
        ServerRuntime rt = ServerRuntime.get();
        assertThat(rt.template(TINY)).isEqualTo(rt.template(MigrationSet.of("classpath:pgprop-test/tiny")));
        assertThat(rt.template(TINY)).isNotEqualTo(rt.template(TINY.withPlaceholder("label_width", "13")));
        try (TestDatabase a = PgProp.server().createDatabase(TINY, "A");
                TestDatabase b = PgProp.server().createDatabase(TINY, "B")) {
            assertThat(a.name()).isNotEqualTo(b.name());
            a.jdbi().useHandle(h -> h.execute("insert into widget (id, label) values (1, 'only in a')"));
            assertThat(b.jdbi().withHandle(h -> h.createQuery("select count(*) from widget").mapTo(Integer.class).one()).intValue()).isZero();
            assertThat(a.jdbi().withHandle(h -> h.createQuery("select count(*) from widget").mapTo(Integer.class).one()).intValue()).isOne();
        }
    }

    @Test
    void closeDropsTheDatabase() throws Exception {
        TestDatabase db = PgProp.server().createDatabase(TINY, "Dropped");
        String name = db.name();
        db.close();
        try (Connection c = ServerRuntime.get().adminConnection()) {
            assertThat(scalar(c, "select count(*) from pg_database where datname = '" + name + "'")).isEqualTo("0");
        }
    }

    @Test
    void anExtraLocationIsAppliedOnTop() throws Exception {
        try (TestDatabase db = PgProp.server().createDatabase(TINY.plusLocations("classpath:pgprop-test/extra"), "Extra");
                Connection c = db.openConnection()) {
            assertThat(scalar(c, "select to_regclass('extra_marker') is not null")).isEqualTo("t");
            assertThat(scalar(c, "select string_agg(version, ',' order by installed_rank) from flyway_schema_history"
                    + " where version is not null")).isEqualTo("1,2");
        }
    }

    @Test
    void aBrokenMigrationNamesTheProblemAndLeavesNoTemplateBehind() throws Exception {
        MigrationSet broken = MigrationSet.of("classpath:pgprop-test/broken");
        String countTemplates = "select count(*) from pg_database where datname like 'pgprop\\_tpl\\_%'";
        String before;
        try (Connection c = ServerRuntime.get().adminConnection()) {
            before = scalar(c, countTemplates);
        }
        assertThatThrownBy(() -> PgProp.server().createDatabase(broken, "Broken"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("classpath:pgprop-test/broken")
                .hasMessageContaining("no_such_table")
                .hasMessageContaining("-Dpgprop.migrations");
        try (Connection c = ServerRuntime.get().adminConnection()) {
            assertThat(scalar(c, countTemplates)).isEqualTo(before);
        }
    }

    @Test
    void migrationSetsValidateTheirInput() {
        assertThatThrownBy(() -> MigrationSet.of()).hasMessageContaining("at least one Flyway location");
        assertThatThrownBy(() -> MigrationSet.of("http://x")).hasMessageContaining("unknown prefix");
        assertThatThrownBy(() -> TINY.withPlaceholder("bad name", "1")).hasMessageContaining("not a Flyway placeholder name");
        assertThat(TINY.withPlaceholder("label_width", "8").systemPropertyArgs())
                .containsExactly("-Dpgprop.migrations=classpath:pgprop-test/tiny", "-Dpgprop.placeholders.label_width=8");
    }
}
