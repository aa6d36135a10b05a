package dev.pgprop.dsl.internal.jqwik;

import dev.pgprop.dsl.internal.Settings;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * {@code pgprop.shard=i/n} (1 ≤ i ≤ n): this JVM runs the i-th of n shares of the test classes,
 * property classes included; without it, everything runs. A class belongs to share
 * {@code floorMod(name.hashCode(), n) + 1} of its top-level class's name, so the split is the
 * same on every machine and in every run (String.hashCode is specified), a class's nested
 * groups stay with it, and the n shares together run every class exactly once. Registered with
 * the JUnit Platform launcher as a post-discovery filter.
 */
public final class ShardFilter implements PostDiscoveryFilter {
    /** This JVM's share, or empty when the suite is not split. */
    record Shard(int index, int count) {
        boolean holds(String className) {
            int dollar = className.indexOf('$');
            String top = dollar < 0 ? className : className.substring(0, dollar);
            return Math.floorMod(top.hashCode(), count) + 1 == index;
        }
    }

    private final Optional<Shard> shard;

    public ShardFilter() {
        this(Settings.fromEnvironment());
    }

    public ShardFilter(Settings settings) {
        this.shard = settings.lookup("shard").map(f -> parse(f.value(), f));
    }

    static Shard parse(String value, Settings.Found found) {
        String[] parts = value.trim().split("/");
        try {
            if (parts.length == 2) {
                int i = Integer.parseInt(parts[0].trim());
                int n = Integer.parseInt(parts[1].trim());
                if (n >= 1 && i >= 1 && i <= n) {
                    return new Shard(i, n);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw found.invalid("a share of the suite, i/n with 1 <= i <= n (e.g. 2/4 on the second of four machines)");
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (shard.isEmpty()) {
            return FilterResult.included("the suite is not split");
        }
        Optional<String> className = descriptor.getSource().flatMap(ShardFilter::className);
        if (className.isEmpty()) {
            return FilterResult.included("no class");
        }
        Shard s = shard.get();
        return s.holds(className.get())
                ? FilterResult.included("in shard " + s.index() + "/" + s.count())
                : FilterResult.excluded("in another shard than " + s.index() + "/" + s.count());
    }

    private static Optional<String> className(TestSource source) {
        if (source instanceof ClassSource c) {
            return Optional.of(c.getClassName());
        }
        if (source instanceof MethodSource m) {
            return Optional.of(m.getClassName());
        }
        return Optional.empty();
    }
}
