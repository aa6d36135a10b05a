package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Supabase preset and the Supabase CLI layout: a project's timestamped migrations run in
 * timestamp order on plain PostgreSQL, after the shim of auth.users, auth.uid()/role()/jwt()
 * reading the claims as PostgREST sets them, Supabase's roles and its default grants.
 */
class SupabasePresetTest {
    static TestDatabase db;
    static MigrationSet set;

    @BeforeAll
    static void migrate() throws URISyntaxException {
        Path project = Path.of(SupabasePresetTest.class.getResource("/pgprop-test/supabase-cli").toURI());
        set = MigrationSet.of("supabase:" + project).withPreset("supabase");
        db = PgProp.server().createDatabase(set, "SupabasePresetTest");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static List<String> column(String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Test
    void theMigrationsRanInTimestampOrderWithTheirTextUntouched() throws SQLException {
        assertThat(column("SELECT script FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("V20231231235959__accounts.sql", "V20240102000000__notes.sql");
        assertThat(column("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'public.notes'::regclass AND adnum = 3"))
                .containsExactly("'${not_a_placeholder}'::text");
    }

    @Test
    void authFunctionsReadTheClaimsAsPostgrestSetsThem() throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT set_config('request.jwt.claims', '{\"sub\": \"8a0c2b0e-4c59-4f2e-9d7a-3f1d2c3b4a5e\", \"role\": \"authenticated\","
                    + " \"email\": \"a@example.com\"}', true)");
            try (ResultSet rs = s.executeQuery("SELECT auth.uid()::text, auth.role(), auth.email(), auth.jwt() ->> 'role'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("8a0c2b0e-4c59-4f2e-9d7a-3f1d2c3b4a5e");
                assertThat(rs.getString(2)).isEqualTo("authenticated");
                assertThat(rs.getString(3)).isEqualTo("a@example.com");
                assertThat(rs.getString(4)).isEqualTo("authenticated");
            }
            s.execute("SELECT set_config('request.jwt.claim.sub', '11111111-2222-3333-4444-555555555555', true)");
            try (ResultSet rs = s.executeQuery("SELECT auth.uid()::text")) {
                rs.next();
                assertThat(rs.getString(1)).as("the older per-claim setting wins, as in Supabase").isEqualTo("11111111-2222-3333-4444-555555555555");
            }
            c.rollback();
        }
    }

    @Test
    void supabaseRolesAndDefaultGrantsExist() throws SQLException {
        assertThat(column("SELECT rolname || ':' || rolbypassrls FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role',"
                + " 'supabase_auth_admin', 'authenticator') ORDER BY 1"))
                .containsExactly("anon:false", "authenticated:false", "authenticator:false", "service_role:true", "supabase_auth_admin:false");
        assertThat(column("SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants"
                + " WHERE table_schema = 'public' AND table_name = 'notes' AND grantee = 'anon'"))
                .containsExactly("DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE");
        assertThat(column("SELECT pg_has_role('authenticator', 'anon', 'MEMBER')::text")).containsExactly("true");
        assertThat(column("SELECT count(*)::text FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = 'users'"
                + " AND column_name IN ('id', 'email', 'raw_user_meta_data', 'raw_app_meta_data', 'created_at', 'phone')"))
                .containsExactly("6");
    }

    @Test
    void theReplayArgumentsCarryThePreset() {
        assertThat(set.systemPropertyArgs()).contains("-Dpgprop.preset=supabase");
        assertThat(set.systemPropertyArgs().get(0)).startsWith("-Dpgprop.migrations=supabase:");
        assertThatThrownBy(() -> set.withPreset("firebase")).hasMessageContaining("unknown preset 'firebase'")
                .hasMessageContaining("supabase");
    }

    @Test
    void withoutThePresetTheMigrationsFailOnTheMissingAuthSchema() {
        assertThatThrownBy(() -> PgProp.server().createDatabase(set.withPreset(""), "SupabaseNoPreset").close())
                .isInstanceOf(PgPropException.class).hasMessageContaining("auth");
    }
}
