package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The nested engines of the catch tests shrink as long as the suite does, not jqwik's default 10 s. */
class JqwikParametersTest {
    @Test
    void nestedRunsGetTheSuitesShrinkingBound() throws IOException {
        Properties suite = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("junit-platform.properties")) {
            suite.load(in);
        }
        String bound = suite.getProperty("jqwik.shrinking.bounded.seconds");
        assertThat(bound).isNotBlank();
        assertThat(Integer.parseInt(bound.trim())).isGreaterThan(10);
        assertThat(Jqwik.parameters()).containsEntry("jqwik.shrinking.bounded.seconds", bound.trim())
                .containsEntry("jqwik.database", "target/jqwik-database");
    }
}
