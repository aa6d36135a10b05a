package dev.pgprop.dsl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.ConfigurationException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void envNamesAreUpperSnakeCase() {
        assertThat(Settings.envName("jdbcUrl")).isEqualTo("PGPROP_JDBC_URL");
        assertThat(Settings.envName("keepDatabaseOnFailure")).isEqualTo("PGPROP_KEEP_DATABASE_ON_FAILURE");
        assertThat(Settings.envName("placeholders.embedding_dim")).isEqualTo("PGPROP_PLACEHOLDERS_EMBEDDING_DIM");
    }

    @Test
    void systemPropertyBeatsEnvBeatsPlatformFile() {
        Properties platform = props("pgprop.seed", "3", "pgprop.image", "img-from-file", "pgprop.provider", "local");
        Map<String, String> env = Map.of("PGPROP_SEED", "2", "PGPROP_IMAGE", "img-from-env");
        Settings s = new Settings(props("pgprop.seed", "1"), env, platform);
        assertThat(s.get("seed")).contains("1");
        assertThat(s.get("image")).contains("img-from-env");
        assertThat(s.get("provider")).contains("local");
        assertThat(s.lookup("image").orElseThrow().source()).isEqualTo("env PGPROP_IMAGE");
        assertThat(s.get("missing")).isEmpty();
    }

    @Test
    void prefixedSettingsMergeInPrecedenceOrder() {
        Settings s = new Settings(props("pgprop.placeholders.embedding_dim", "8"),
                Map.of("PGPROP_PLACEHOLDERS_EMBEDDING_DIM", "16", "PGPROP_PLACEHOLDERS_OTHER", "x"),
                props("pgprop.placeholders.third", "y", "pgprop.placeholders.other", "file"));
        assertThat(s.withPrefix("placeholders")).containsExactlyInAnyOrderEntriesOf(
                Map.of("embedding_dim", "8", "other", "x", "third", "y"));
    }

    @Test
    void aBadChoiceNamesKeyValueSourceAndAllowedValues() {
        Settings s = new Settings(props("pgprop.provider", "kubernetes"), Map.of(), new Properties());
        assertThatThrownBy(() -> s.getChoice("provider", "auto", "auto", "external", "docker", "local"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgprop.provider is 'kubernetes'")
                .hasMessageContaining("-Dpgprop.provider")
                .hasMessageContaining("one of auto, external, docker, local");
        Settings b = new Settings(new Properties(), Map.of("PGPROP_KEEP_DATABASE_ON_FAILURE", "yes"), new Properties());
        assertThatThrownBy(() -> b.getBoolean("keepDatabaseOnFailure", false))
                .hasMessageContaining("env PGPROP_KEEP_DATABASE_ON_FAILURE")
                .hasMessageContaining("true or false");
    }
}
