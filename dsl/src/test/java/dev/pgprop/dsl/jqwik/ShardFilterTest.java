package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.internal.jqwik.ShardFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;

/** pgprop.shard=i/n: the n shares run every class exactly once, the same way every time, nested classes with their class. */
class ShardFilterTest {
    static final List<String> CLASSES = List.of("a.InventoryProperties", "a.PaymentProperties", "b.VectorSearchProperties",
            "b.CrudProperties", "c.RoleProperties", "c.MigrationProperties", "d.ConnectionProperties", "d.QueryProperties",
            "e.ConcurrencyProperties", "e.PlanProperties", "f.ConstraintProperties", "f.ReplayTest");

    private static ShardFilter filter(String shard) {
        Properties p = new Properties();
        p.setProperty("pgprop.shard", shard);
        return newFilter(new Settings(p, Map.of(), new Properties()));
    }

    private static ShardFilter newFilter(Settings s) {
        return new ShardFilter(s);
    }

    private static TestDescriptor container(String className) {
        return new AbstractTestDescriptor(UniqueId.root("class", className), className, ClassSource.from(className)) {
            @Override
            public Type getType() {
                return Type.CONTAINER;
            }
        };
    }

    private static TestDescriptor method(String className) {
        return new AbstractTestDescriptor(UniqueId.root("method", className + "#m"), "m", MethodSource.from(className, "m")) {
            @Override
            public Type getType() {
                return Type.TEST;
            }
        };
    }

    @Test
    void theSharesRunEveryClassExactlyOnceAndAlwaysAlike() {
        int n = 3;
        List<List<String>> shares = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ShardFilter f = filter(i + "/" + n);
            ShardFilter again = filter(i + "/" + n);
            List<String> mine = new ArrayList<>();
            for (String c : CLASSES) {
                boolean in = f.apply(container(c)).included();
                assertThat(again.apply(container(c)).included()).as("the same split twice").isEqualTo(in);
                assertThat(f.apply(method(c)).included()).as("a property goes with its class").isEqualTo(in);
                assertThat(f.apply(container(c + "$Group")).included()).as("a nested group goes with its class").isEqualTo(in);
                if (in) {
                    mine.add(c);
                }
            }
            shares.add(mine);
        }
        assertThat(shares.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(CLASSES);
        assertThat(shares).allSatisfy(s -> assertThat(s).as("every share has work").isNotEmpty());
        assertThat(filter("1/1").apply(container("x.Any")).included()).isTrue();
    }

    @Test
    void withoutASettingEverythingRunsAndABadShareSaysHowToWriteIt() {
        assertThat(newFilter(new Settings(new Properties(), Map.of(), new Properties())).apply(container("x.Y")).included()).isTrue();
        for (String bad : new String[] {"0/3", "4/3", "2", "a/b", "1/0"}) {
            assertThatThrownBy(() -> filter(bad)).as(bad).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("pgprop.shard").hasMessageContaining("i/n");
        }
    }
}
