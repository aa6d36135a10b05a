package dev.pgprop.migrations;

import static dev.pgprop.migrations.Jdbc.column;
import static dev.pgprop.migrations.Jdbc.rows;
import static dev.pgprop.migrations.Jdbc.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migrations applied to an empty database produce the specified schema, read back from the
 * catalogs. Two databases are migrated in one cluster (default placeholders and embedding_dim=8),
 * so the role creation in V1 also runs against roles that already exist.
 */
class SchemaCatalogTest {
    private static TestDatabase defaults;
    private static TestDatabase dim8;
    private static Connection c;

    @BeforeAll
    static void migrate() throws SQLException {
        defaults = PgProp.server().createDatabase(MigrationSet.of(Migrations.LOCATION), "SchemaCatalogTest");
        dim8 = PgProp.server()
                .createDatabase(
                        MigrationSet.of(Migrations.LOCATION).withPlaceholders(Migrations.placeholders(8)),
                        "SchemaCatalogTest_dim8");
        c = defaults.openConnection();
    }

    @AfterAll
    static void drop() throws SQLException {
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            try {
                if (defaults != null) {
                    defaults.close();
                }
            } finally {
                if (dim8 != null) {
                    dim8.close();
                }
            }
        }
    }

    @Test
    void constraintsHaveTheirNamesAndDefinitions() throws SQLException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("inventory.inventory_pkey", "PRIMARY KEY (sku)");
        expected.put("inventory.inventory_sku_format", "CHECK ((sku ~ '^SKU-[0-9]{6}$'::text))");
        expected.put("inventory.inventory_on_hand_nonneg", "CHECK ((on_hand >= 0))");
        expected.put("inventory.inventory_allocated_nonneg", "CHECK ((allocated >= 0))");
        expected.put("inventory.inventory_not_oversold", "CHECK ((allocated <= on_hand))");

        expected.put("allocations.allocations_pkey", "PRIMARY KEY (id)");
        expected.put("allocations.allocations_sku_fk", "FOREIGN KEY (sku) REFERENCES inventory(sku)");
        expected.put("allocations.allocations_quantity_range", "CHECK (((quantity >= 1) AND (quantity <= 1000)))");
        expected.put(
                "allocations.allocations_status_valid",
                "CHECK ((status = ANY (ARRAY['pending'::text, 'allocated'::text, 'shipped'::text, 'cancelled'::text])))");

        expected.put("payments.payments_pkey", "PRIMARY KEY (id)");
        expected.put(
                "payments.payments_allocation_fk",
                "FOREIGN KEY (allocation_id) REFERENCES allocations(id) ON DELETE RESTRICT");
        expected.put("payments.payments_amount_positive", "CHECK ((amount_cents > 0))");
        expected.put("payments.payments_currency_format", "CHECK ((currency ~ '^[A-Z]{3}$'::text))");
        expected.put(
                "payments.payments_status_valid",
                "CHECK ((status = ANY (ARRAY['pending'::text, 'captured'::text, 'refunded'::text, 'failed'::text])))");
        expected.put("payments.payments_idempotency_key_unique", "UNIQUE (idempotency_key)");

        expected.put("vectors.vectors_pkey", "PRIMARY KEY (id)");
        expected.put("vectors.vectors_metadata_object", "CHECK ((jsonb_typeof(metadata) = 'object'::text))");

        Map<String, String> actual = new LinkedHashMap<>();
        // contype 'n' (NOT NULL, catalogued from PostgreSQL 18) is checked with the columns instead.
        for (List<Object> row : rows(c, """
                select cl.relname || '.' || con.conname, pg_get_constraintdef(con.oid)
                  from pg_constraint con
                  join pg_class cl on cl.oid = con.conrelid
                 where cl.relnamespace = 'public'::regnamespace
                   and cl.relname in ('inventory', 'allocations', 'payments', 'vectors')
                   and con.contype <> 'n'
                """)) {
            actual.put((String) row.get(0), (String) row.get(1));
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void columnsHaveTheirTypesNullabilityAndDefaults() throws SQLException {
        assertThat(columns("inventory"))
                .containsExactly(
                        "sku text not null",
                        "on_hand integer not null",
                        "allocated integer not null default 0");
        assertThat(columns("allocations"))
                .containsExactly(
                        "id uuid not null",
                        "sku text not null",
                        "quantity integer not null",
                        "status text not null",
                        "allocated_at timestamp with time zone not null default now()",
                        "updated_at timestamp with time zone default now()");
        assertThat(columns("payments"))
                .containsExactly(
                        "id uuid not null",
                        "allocation_id uuid not null",
                        "owner_id uuid not null",
                        "amount_cents bigint not null",
                        "currency character(3) not null",
                        "status text not null",
                        "idempotency_key text not null",
                        "created_at timestamp with time zone not null default now()");
        assertThat(columns("vectors"))
                .containsExactly(
                        "id text not null",
                        "embedding vector(1536) not null",
                        "metadata jsonb not null default '{}'::jsonb",
                        "created_at timestamp with time zone not null default now()");
    }

    @Test
    void embeddingDimensionPlaceholderIsHonoured() throws SQLException {
        String embeddingType = """
                select format_type(atttypid, atttypmod) from pg_attribute
                 where attrelid = 'public.vectors'::regclass and attname = 'embedding'
                """;
        assertThat(value(c, embeddingType)).isEqualTo("vector(1536)");
        try (Connection c8 = dim8.openConnection()) {
            assertThat(value(c8, embeddingType)).isEqualTo("vector(8)");
        }
    }

    @Test
    void rowLevelSecurityIsOnForPaymentsOnly() throws SQLException {
        assertThat(rows(c, """
                select relname, relrowsecurity, relforcerowsecurity from pg_class
                 where relnamespace = 'public'::regnamespace
                   and relname in ('inventory', 'allocations', 'payments', 'vectors')
                 order by relname
                """))
                .containsExactly(
                        List.of("allocations", false, false),
                        List.of("inventory", false, false),
                        List.of("payments", true, false),
                        List.of("vectors", false, false));
    }

    @Test
    void paymentsHaveExactlyTheOwnerSelectPolicy() throws SQLException {
        assertThat(rows(c, """
                select policyname, permissive, roles::text, cmd, qual, with_check
                  from pg_policies
                 where schemaname = 'public'
                """))
                .containsExactly(Jdbc.nullableList(
                        "payments_owner_select", "PERMISSIVE", "{authenticated}", "SELECT",
                        "(owner_id = auth.uid())", null));
        assertThat(value(c, "select tablename from pg_policies where policyname = 'payments_owner_select'"))
                .isEqualTo("payments");
    }

    @Test
    void embeddingIndexIsHnswWithCosineOps() throws SQLException {
        assertThat(rows(c, """
                select t.relname, am.amname, opc.opcname, a.attname, x.indisunique
                  from pg_index x
                  join pg_class i on i.oid = x.indexrelid
                  join pg_class t on t.oid = x.indrelid
                  join pg_am am on am.oid = i.relam
                  join pg_opclass opc on opc.oid = x.indclass[0]
                  join pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
                 where i.relname = 'vectors_embedding_hnsw' and x.indnatts = 1
                """))
                .containsExactly(List.of("vectors", "hnsw", "vector_cosine_ops", "embedding", false));
    }

    @Test
    void rolesExistWithTheirAttributes() throws SQLException {
        assertThat(rows(c, """
                select rolname, rolcanlogin, rolbypassrls from pg_roles
                 where rolname in ('anon', 'authenticated', 'service_role')
                 order by rolname
                """))
                .containsExactly(
                        List.of("anon", false, false),
                        List.of("authenticated", false, false),
                        List.of("service_role", false, true));
        assertThat(value(c, "select count(*) from pg_extension where extname = 'vector'")).isEqualTo(1L);
    }

    @Test
    void tablePrivilegesAreGrantedAndWithheldPerRole() throws SQLException {
        String[] tables = {"inventory", "allocations", "payments", "vectors"};
        String[] privileges = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"};
        Map<String, List<String>> granted = Map.of(
                "anon", List.of("vectors:SELECT"),
                "authenticated", List.of("payments:SELECT", "payments:INSERT", "vectors:SELECT"));

        List<String> mismatches = new ArrayList<>();
        for (String role : new String[] {"anon", "authenticated", "service_role"}) {
            for (String table : tables) {
                for (String privilege : privileges) {
                    boolean expected = role.equals("service_role")
                            || granted.get(role).contains(table + ":" + privilege);
                    Object actual = value(c, "select has_table_privilege(?::name, ?::text, ?::text)", role, "public." + table, privilege);
                    if (!Boolean.valueOf(expected).equals(actual)) {
                        mismatches.add(role + " " + privilege + " on " + table + ": expected " + expected);
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
        // The roles get nothing on Flyway's own bookkeeping.
        assertThat(column(c, """
                select grantee from information_schema.role_table_grants
                 where table_schema = 'public'
                   and table_name not in ('inventory', 'allocations', 'payments', 'vectors')
                   and grantee in ('anon', 'authenticated', 'service_role')
                """)).isEmpty();
    }

    @Test
    void schemaAndFunctionPrivileges() throws SQLException {
        for (String role : new String[] {"anon", "authenticated", "service_role"}) {
            assertThat(value(c, "select has_schema_privilege(?::name, 'public', 'USAGE')", role)).as(role).isEqualTo(true);
            assertThat(value(c, "select has_schema_privilege(?::name, 'auth', 'USAGE')", role)).as(role).isEqualTo(true);
            assertThat(value(c, "select has_function_privilege(?::name, 'auth.uid()', 'EXECUTE')", role))
                    .as(role).isEqualTo(true);
            assertThat(value(c, "select has_function_privilege(?::name, 'vector_search(vector, integer, jsonb)', 'EXECUTE')",
                            role)).as(role).isEqualTo(true);
            assertThat(value(c, "select has_function_privilege(?::name, 'allocate(text, integer)', 'EXECUTE')", role))
                    .as(role).isEqualTo(role.equals("service_role"));
        }
    }

    @Test
    void allocationsTriggerFiresAfterEachRowChangeThatMatters() throws SQLException {
        assertThat(column(c, """
                select pg_get_triggerdef(t.oid) from pg_trigger t
                 where t.tgrelid = 'public.allocations'::regclass and not t.tgisinternal
                """))
                .containsExactlyInAnyOrder("CREATE TRIGGER allocations_maintain_inventory"
                        + " AFTER INSERT OR DELETE OR UPDATE OF status, quantity, sku ON public.allocations"
                        + " FOR EACH ROW EXECUTE FUNCTION allocations_maintain_inventory()",
                        "CREATE TRIGGER allocations_touch_updated_at BEFORE UPDATE ON public.allocations"
                        + " FOR EACH ROW EXECUTE FUNCTION allocations_touch_updated_at()");
        assertThat(value(c, "select tgenabled from pg_trigger where tgname = 'allocations_maintain_inventory'"))
                .isEqualTo("O");
    }

    @Test
    void functionsHaveTheirSignaturesAndAttributes() throws SQLException {
        String sql = """
                select l.lanname, p.provolatile::text, p.proisstrict, p.prosecdef, p.proconfig is null,
                       pg_get_function_arguments(p.oid), pg_get_function_result(p.oid)
                  from pg_proc p join pg_language l on l.oid = p.prolang
                 where p.oid = ?::regprocedure
                """;
        // Inlinable: sql, stable, not strict, not security definer, no SET clause.
        assertThat(rows(c, sql, "public.vector_search(vector, integer, jsonb)"))
                .containsExactly(List.of("sql", "s", false, false, true,
                        "query_embedding vector, top_k integer, filter jsonb DEFAULT '{}'::jsonb",
                        "TABLE(id text, similarity double precision, metadata jsonb)"));
        assertThat(rows(c, sql, "public.allocate(text, integer)"))
                .containsExactly(List.of("plpgsql", "v", false, false, true, "p_sku text, p_quantity integer", "uuid"));
        assertThat(rows(c, sql, "auth.uid()"))
                .containsExactly(List.of("sql", "s", false, false, true, "", "uuid"));
    }

    private static List<Object> columns(String table) throws SQLException {
        return column(c, """
                select a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || case when a.attnotnull then ' not null' else '' end
                       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                  from pg_attribute a
                  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                 where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped
                 order by a.attnum
                """, "public." + table);
    }
}
