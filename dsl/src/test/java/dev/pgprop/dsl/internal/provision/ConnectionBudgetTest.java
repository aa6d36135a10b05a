package dev.pgprop.dsl.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.internal.Settings;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
    private static ConnectionBudget budget(Map<String, String> settings) {
        Properties p = new Properties();
        settings.forEach((k, v) -> p.setProperty("pgprop." + k, v));
        return ConnectionBudget.from(new Settings(p, Map.of(), new Properties()));
    }

    @Test
    void theDefaultsAskForSeventeenSessionsPerJvm() {
        ConnectionBudget b = budget(Map.of());
        assertThat(b.perJvm()).isEqualTo(3 + 2 + 8 + 4);
        assertThat(b.check("external, s", false, 20, 0, 3)).isEmpty();
        assertThat(b.check("external, s", false, 20, 3, 1)).isPresent();
    }

    @Test
    void aSharedServerCountsEveryJvmAndNamesTheSettingsAndTheFix() {
        ConnectionBudget b = budget(Map.of("jvms", "4", "concurrentSessions", "16", "templatePool.bound", "2", "templatePool.size", "1"));
        assertThat(b.perJvm()).isEqualTo(3 + 2 + 16 + 2);
        assertThat(b.check("external, s", false, 100, 3, 5)).isEmpty();
        assertThat(b.check("external, s", false, 100, 3, 6)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("this suite may open 92 sessions at once, more than the server accepts: 4 JVM(s) (pgprop.jvms) × 23")
                .contains("the server (external, s) accepts 91 more")
                .contains("accepts 91 more (max_connections = 100, 3 reserved for superusers, 6 in use by other clients)")
                .contains("ALTER SYSTEM SET max_connections = 101;")
                .contains("lower pgprop.jvms, pgprop.concurrentSessions or pgprop.templatePool.bound"));
    }

    @Test
    void aLocalClusterIsOneJvmsAloneAndCannotBeRaised() {
        ConnectionBudget b = budget(Map.of("jvms", "50", "concurrentSessions", "64", "templatePool.bound", "200"));
        assertThat(b.check("local, c", true, 200, 0, 0)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("this suite may open 269 sessions at once, more than the server accepts: 269 (")
                .doesNotContain("pgprop.jvms").doesNotContain("ALTER SYSTEM")
                .contains("lower pgprop.concurrentSessions or pgprop.templatePool.bound (the local cluster runs with max_connections = 200)"));
        assertThat(budget(Map.of("jvms", "50")).check("local, c", true, 200, 0, 0)).isEmpty();
    }

    @Test
    void badSettingsAreConfigurationErrors() {
        assertThatThrownBy(() -> budget(Map.of("concurrentSessions", "65"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pgprop.concurrentSessions is '65'").hasMessageContaining("from 1 to 64");
        assertThatThrownBy(() -> budget(Map.of("jvms", "0"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> budget(Map.of("templatePool.size", "3", "templatePool.bound", "2")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("make it at least the size");
    }
}
