package dev.pgprop.dsl.reliability;

import static dev.pgprop.dsl.Invariants.scalar;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Run only by {@link SecretsTest} in a Maven run of its own (its name matches no Surefire
 * include): one property that fails with a dataset, one that passes.
 */
@PgProperties(migrations = "classpath:pgprop-test/tiny")
public class SecretProbe {
    @Property(tries = 5)
    void fails(@ForAll @IntRange(min = 1, max = 3) int n, Db db) {
        Dataset d = Dataset.empty();
        for (int i = 1; i <= n + 1; i++) {
            d = d.plus("widget", Row.of("id", i, "label", "w" + i));
        }
        db.given(d).then(scalar("select count(*) from widget").isAtMost(1));
    }

    @Property(tries = 5)
    void passes(@ForAll @IntRange(min = 1, max = 3) int n, Db db) {
        db.given(Dataset.of("widget", java.util.List.of(Row.of("id", n, "label", "w")))).then(scalar("select count(*) from widget").isEqualTo(1L));
    }
}
