package dev.pgprop.dsl.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pgvector a migration set needs, against what a server offers (the server's answers given here). */
class PgvectorNeedTest {
    private static final String SERVER = "external server (PostgreSQL 15.20, s)";

    @Test
    void halfvecOnAnOlderPgvectorNamesTheFeatureTheVersionsAndTheInstallScript() {
        PgvectorNeed need = PgvectorNeed.of(Map.of("V1__init.sql", "create extension if not exists vector;",
                "V2__half.sql", "alter table item add column h halfvec(3);"));
        assertThat(need.minimum()).isEqualTo("0.7.0");
        assertThat(need.problem(SERVER, "0.6.2", List.of("0.5.1", "0.6.2"))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("the migrations use halfvec (V2__half.sql), which needs pgvector 0.7.0 or newer, but the " + SERVER
                        + " has pgvector 0.6.2.")
                .contains("Install pgvector 0.7.0 or newer with docker/install-pgvector.sh")
                .contains("ALTER EXTENSION vector UPDATE"));
        assertThat(need.problem(SERVER, "0.7.0", List.of("0.7.0"))).isEmpty();
        assertThat(need.problem(SERVER, "0.10.1", List.of("0.10.1"))).isEmpty();
    }

    @Test
    void eachFeatureAsksForTheVersionThatBroughtIt() {
        assertThat(PgvectorNeed.of(Map.of("a.sql", "create index on t using HNSW (v vector_l2_ops);")).minimum()).isEqualTo("0.5.0");
        assertThat(PgvectorNeed.of(Map.of("a.sql", "create table t (s sparsevec(5));")).feature()).isEqualTo("sparsevec");
        assertThat(PgvectorNeed.of(Map.of("a.sql", "select binary_quantize(v) from t;")).minimum()).isEqualTo("0.7.0");
        assertThat(PgvectorNeed.of(Map.of("a.sql", "create index on t using hnsw (b bit_hamming_ops);")).minimum()).isEqualTo("0.7.0");
        PgvectorNeed plain = PgvectorNeed.of(Map.of("a.sql", "create table t (v vector(${embedding_dim}));"));
        assertThat(plain.needed()).isTrue();
        assertThat(plain.problem(SERVER, "0.4.1", List.of("0.4.1"))).isEmpty();
    }

    @Test
    void aServerWithoutPgvectorIsToldWhatToInstallOnlyWhenTheMigrationsNeedIt() {
        assertThat(PgvectorNeed.of(Map.of("V1__x.sql", "CREATE EXTENSION \"vector\";")).problem(SERVER, null, List.of()))
                .hasValueSatisfying(m -> assertThat(m).startsWith("the migrations need pgvector (V1__x.sql: CREATE EXTENSION vector), but"
                        + " the " + SERVER + " does not have it.").contains("docker/install-pgvector.sh"));
        PgvectorNeed none = PgvectorNeed.of(Map.of("V1__x.sql", "create table vectors (id int); -- halfvec later\n/* vector(3) */"));
        assertThat(none.needed()).isFalse();
        assertThat(none.problem(SERVER, null, List.of())).isEmpty();
    }

    @Test
    void aVersionTheMigrationsNameMustBeOneTheServerOffers() {
        PgvectorNeed need = PgvectorNeed.of(Map.of("V1__x.sql", "create extension if not exists vector with schema extensions version '0.5.1';"));
        assertThat(need.exact()).isEqualTo("0.5.1");
        assertThat(need.problem(SERVER, "0.8.0", List.of("0.7.4", "0.8.0"))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("the migrations ask for pgvector 0.5.1 (V1__x.sql: CREATE EXTENSION vector VERSION '0.5.1'), but the "
                        + SERVER + " offers pgvector 0.7.4, 0.8.0."));
        assertThat(need.problem(SERVER, "0.8.0", List.of("0.5.1", "0.8.0"))).isEmpty();
        // the named version is the one installed: an old one named does not have halfvec
        PgvectorNeed old = PgvectorNeed.of(Map.of("V1__x.sql", "create extension vector version '0.6.0'; create table t (h halfvec(2));"));
        assertThat(old.problem(SERVER, "0.8.0", List.of("0.6.0", "0.8.0"))).hasValueSatisfying(m -> assertThat(m)
                .contains("has pgvector 0.6.0"));
    }

    @Test
    void versionsCompareNumberByNumber() {
        assertThat(PgvectorNeed.compare("0.10.0", "0.9.1")).isPositive();
        assertThat(PgvectorNeed.compare("0.7", "0.7.0")).isZero();
        assertThat(PgvectorNeed.compare("0.6.2", "0.7.0")).isNegative();
    }
}
