package dev.pgprop.properties.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.DatasetLoadException;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.ProvisioningException;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.internal.provision.ProvidedServer;
import dev.pgprop.dsl.internal.provision.Provisioner;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import dev.pgprop.properties.SuiteConfig;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Configuration: the provider chain chooses as the README documents, for every combination of
 * what is configured and what is there; and vectors of another dimension than the schema's
 * {@code embedding_dim} are refused with a message that names both dimensions and both fixes.
 */
@PgProperties
public class ConfigurationProperties {
    /** No Docker engine answers here: the probe is pointed at a socket that does not exist. */
    static final Map<String, String> NO_DOCKER = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");

    static Settings settings(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty("pgprop." + kv[i], kv[i + 1]);
        }
        return new Settings(p, Map.of(), new Properties());
    }

    @Provide
    Arbitrary<String> providers() {
        return Arbitraries.of("auto", "external", "docker", "local");
    }

    /**
     * Which way wins, for every provider setting, with and without a JDBC URL, with and without
     * local binaries (Docker never answers on CI): the URL wins when allowed, then local binaries;
     * a forced provider that is missing fails and names itself; with nothing at all the message
     * names all three fixes. All 16 combinations are tried (jqwik enumerates them), not 100 random
     * ones: the space has only 16 points.
     */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void theProviderChainChoosesAsDocumented(@ForAll("providers") String provider, @ForAll boolean url,
            @ForAll boolean localBinaries) {
        String serverUrl = ServerRuntime.get().jdbcUrl("postgres");
        Properties p = new Properties();
        p.setProperty("pgprop.provider", provider);
        if (url) {
            p.setProperty("pgprop.jdbcUrl", serverUrl);
        }
        if (!localBinaries) {
            p.setProperty("pgprop.pgBin", "/nonexistent/bin");
        }
        Provisioner chain = new Provisioner(new Settings(p, Map.of(), new Properties()), NO_DOCKER);
        String expected = switch (provider) {
            case "auto" -> url ? "external" : localBinaries ? "local" : null;
            case "external" -> url ? "external" : null;
            case "local" -> localBinaries ? "local" : null;
            default -> null; // docker: no engine answers
        };
        if (expected == null) {
            ProvisioningException e = catchThrowableOfType(ProvisioningException.class, chain::provide);
            assertThat(e).as("no way to a server for provider=%s url=%s local=%s", provider, url, localBinaries).isNotNull();
            // a pgBin without PostgreSQL is named first, with the installation there is
            assertThat(e.getMessage()).startsWith(localBinaries || !provider.matches("auto|local")
                    ? "pgprop found no PostgreSQL server to test against" : "pgprop.pgBin is '/nonexistent/bin'")
                    .contains("pgprop found no PostgreSQL server to test against");
            if (provider.equals("auto")) {
                assertThat(e.getMessage()).contains("1. an existing server").contains("2. Docker").contains("3. local binaries")
                        .containsAnyOf("docker/install-pgvector.sh", "PostgreSQL is installed in");
            } else {
                assertThat(e.getMessage()).contains("(pgprop.provider=" + provider + ")")
                        .contains("or remove pgprop.provider to let pgprop try every way in turn");
            }
            return;
        }
        ProvidedServer server = chain.provide();
        try {
            assertThat(server.provider()).isEqualTo(expected);
            if (expected.equals("external")) {
                assertThat(server.adminJdbcUrl()).isEqualTo(serverUrl);
            }
        } finally {
            server.stopper().run();
        }
    }

    @Provide
    Arbitrary<Integer> otherDimensions() {
        int schema = SuiteConfig.embeddingDim();
        return Arbitraries.integers().between(1, 2000).filter(d -> d != schema);
    }

    /**
     * A vector of any other dimension than the schema's is refused on load, with a message that
     * names both dimensions and both fixes (draw vectors of the schema's dimension, or migrate the
     * schema with the placeholder for yours), and nothing is loaded.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void vectorsOfAnotherDimensionAreRefusedWithAdvice(@ForAll("otherDimensions") int dimension, Db db) {
        int schema = SuiteConfig.embeddingDim();
        float[] embedding = new float[dimension];
        embedding[0] = 1f;
        Dataset data = Dataset.of("vectors", java.util.List.of(Row.of("id", "vec-1", "embedding", embedding)));
        assertThatThrownBy(() -> db.given(data).run())
                .isInstanceOf(DatasetLoadException.class)
                .hasMessageContaining("the vector has " + dimension + " dimensions but the column has " + schema
                        + " (the schema's embedding_dim)")
                .hasMessageContaining("Draw vectors of the schema's dimension (" + schema + ")")
                .hasMessageContaining("-Dpgprop.placeholders.embedding_dim=" + dimension);
        assertThat(db.rows("select count(*) as n from vectors").get(0).get("n")).isEqualTo(0L);
    }
}
