package dev.pgprop.generators.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every corpus schema migrates cleanly through pgprop's own migration machinery (a template per
 * migration set, a database cloned from it), and between them the schemas have every shape the
 * derived arbitraries and the schema check must handle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusTest {
    /** Each feature and a catalog query counting where it occurs in one database. */
    static final Map<String, String> FEATURES = new LinkedHashMap<>();

    static {
        String user = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')";
        String userRel = "c.relnamespace in (select n.oid from pg_namespace n where " + user + ")";
        String userCon = " and connamespace in (select n.oid from pg_namespace n where " + user + ")";
        String userIdx = " and indrelid in (select c.oid from pg_class c where " + userRel + ")";
        FEATURES.put("several schemas", "select count(distinct c.relnamespace) - 1 from pg_class c where c.relkind in ('r', 'p') and " + userRel
                + " and c.relname <> 'flyway_schema_history'");
        FEATURES.put("composite primary key", "select count(*) from pg_constraint where contype = 'p' and cardinality(conkey) > 1" + userCon);
        FEATURES.put("composite foreign key", "select count(*) from pg_constraint where contype = 'f' and cardinality(conkey) > 1" + userCon);
        FEATURES.put("self-referencing foreign key", "select count(*) from pg_constraint where contype = 'f' and conrelid = confrelid" + userCon);
        FEATURES.put("deferrable foreign key", "select count(*) from pg_constraint where contype = 'f' and condeferrable and condeferred" + userCon);
        FEATURES.put("deferrable unique key", "select count(*) from pg_constraint where contype = 'u' and condeferrable" + userCon);
        FEATURES.put("exclusion constraint", "select count(*) from pg_constraint where contype = 'x'" + userCon);
        FEATURES.put("NULLS NOT DISTINCT", "select count(*) from pg_index where indnullsnotdistinct" + userIdx);
        FEATURES.put("partial unique index", "select count(*) from pg_index where indisunique and indpred is not null" + userIdx);
        FEATURES.put("expression unique index", "select count(*) from pg_index where indisunique and indexprs is not null" + userIdx);
        FEATURES.put("NOT VALID check", "select count(*) from pg_constraint where contype = 'c' and not convalidated" + userCon);
        FEATURES.put("range partitioning", "select count(*) from pg_partitioned_table where partstrat = 'r'");
        FEATURES.put("list partitioning", "select count(*) from pg_partitioned_table where partstrat = 'l'");
        FEATURES.put("hash partitioning", "select count(*) from pg_partitioned_table where partstrat = 'h'");
        FEATURES.put("row-level security policy", "select count(*) from pg_policy");
        FEATURES.put("enum", "select count(*) from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'e' and " + user);
        FEATURES.put("domain with a CHECK", "select count(*) from pg_constraint where contype = 'c' and contypid <> 0" + userCon);
        FEATURES.put("domain NOT NULL", "select count(*) from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'd' and t.typnotnull and " + user);
        FEATURES.put("composite type column", "select count(*) from pg_attribute a join pg_type t on t.oid = a.atttypid join pg_class c on c.oid = a.attrelid"
                + " where t.typtype = 'c' and c.relkind = 'r' and " + userRel);
        FEATURES.put("identity column", "select count(*) from pg_attribute where attidentity <> '' and attrelid in (select c.oid from pg_class c where " + userRel + ")");
        FEATURES.put("generated column", "select count(*) from pg_attribute where attgenerated <> '' and attrelid in (select c.oid from pg_class c where " + userRel + ")");
        FEATURES.put("serial column", "select count(*) from pg_attrdef where pg_get_expr(adbin, adrelid) like 'nextval(%'");
        FEATURES.put("array column", "select count(*) from pg_attribute a join pg_class c on c.oid = a.attrelid"
                + " join pg_type t on t.oid = a.atttypid where t.typcategory = 'A' and c.relkind in ('r', 'p') and " + userRel);
        FEATURES.put("range column", "select count(*) from pg_attribute a join pg_class c on c.oid = a.attrelid"
                + " join pg_type t on t.oid = a.atttypid where t.typtype = 'r' and c.relkind in ('r', 'p') and " + userRel);
        FEATURES.put("vector column", "select count(*) from pg_attribute a join pg_class c on c.oid = a.attrelid"
                + " join pg_type t on t.oid = a.atttypid where t.typname in ('vector', 'halfvec', 'sparsevec') and c.relkind = 'r' and " + userRel);
        FEATURES.put("money column", "select count(*) from pg_attribute a join pg_class c on c.oid = a.attrelid"
                + " where a.atttypid = 'money'::regtype and c.relkind = 'r' and " + userRel);
        FEATURES.put("check comparing two columns", "select count(*) from pg_constraint where contype = 'c' and cardinality(conkey) = 2" + userCon);
    }

    private final Map<String, Map<String, Long>> found = new TreeMap<>();

    @BeforeAll
    void migrateEverySchema() throws SQLException {
        for (String name : Corpus.names()) {
            MigrationSet set = Corpus.migrations(name);
            try (TestDatabase db = PgProp.server().createDatabase(set, "Corpus_" + name);
                 Connection c = db.openConnection();
                 Statement s = c.createStatement()) {
                Map<String, Long> counts = new LinkedHashMap<>();
                counts.put("tables", count(s, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                        + " where c.relkind in ('r', 'p') and not c.relispartition and c.relname <> 'flyway_schema_history'"
                        + " and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')"));
                counts.put("applied", count(s, "select count(*) from flyway_schema_history where success and version is not null"));
                counts.put("failed", count(s, "select count(*) from flyway_schema_history where not success"));
                for (Map.Entry<String, String> f : FEATURES.entrySet()) {
                    counts.put(f.getKey(), count(s, f.getValue()));
                }
                found.put(name, counts);
            }
        }
    }

    @AfterAll
    void print() {
        found.forEach((name, counts) -> System.out.println("corpus " + name + ": " + counts));
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void thereAreAtLeastTwelveSchemas() {
        assertThat(Corpus.names()).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void everySchemaMigratesCleanlyAndHasTables() {
        assertThat(found.keySet()).containsExactlyElementsOf(Corpus.names());
        found.forEach((name, counts) -> {
            assertThat(counts.get("applied")).as(name + ": migrations applied").isPositive();
            assertThat(counts.get("failed")).as(name + ": failed migrations").isZero();
            assertThat(counts.get("tables")).as(name + ": tables").isGreaterThanOrEqualTo(3);
        });
    }

    @Test
    void theFilmRentalStoreHasFifteenTables() {
        assertThat(found.get("film_rental").get("tables")).isEqualTo(15);
    }

    @Test
    void everyFeatureOccursInSomeSchema() {
        TreeSet<String> missing = new TreeSet<>(FEATURES.keySet());
        found.values().forEach(counts -> counts.forEach((feature, n) -> {
            if (n > 0) {
                missing.remove(feature);
            }
        }));
        assertThat(missing).as("features no corpus schema has").isEmpty();
    }

    @Test
    void theCorpusHelperNamesAMissingSchema() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corpus.folder("no_such_schema"))
                .hasMessageContaining("no corpus schema 'no_such_schema'").hasMessageContaining("film_rental");
        assertThat(List.of(Corpus.migrations("ledger").locations().get(0))).allMatch(l -> l.startsWith("filesystem:"));
    }
}
