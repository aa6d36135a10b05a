package dev.pgprop.dsl.internal.jqwik;

import dev.pgprop.dsl.internal.PgPropertyClasses;
import dev.pgprop.dsl.internal.Settings;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Fixed seeds for pgprop properties (registered globally, acting on {@code @PgProperties} classes
 * only; {@code pgprop.seedScope=all} extends it to every jqwik property of the JVM): each
 * property's seed is derived from the suite seed ({@code pgprop.seed}, fixed by default) and the
 * property's name, so adding a property changes no other property's data. {@code pgprop.seed=random}
 * leaves jqwik's random seeds; {@code @Property(seed = ...)} always wins.
 */
public final class SeedHook implements AroundPropertyHook {
    /** The suite seed when none is configured. */
    public static final String DEFAULT_SUITE_SEED = "20261124";
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.map(e -> e instanceof Method).orElse(false);
    }

    @Override
    public int aroundPropertyProximity() {
        return -100; // outermost: the seed is set before anything else looks at it
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (!inScope(context.containerClass())) {
            return property.execute();
        }
        String suite = suiteSeed();
        if (ANNOUNCED.compareAndSet(false, true)) {
            System.out.println("pgprop: suite seed " + suite + (suite.equals("random") ? " (jqwik draws random seeds)"
                    : " (each property's seed derives from it and its name; -Dpgprop.seed=<number> or random to change)"));
        }
        if (!suite.equals("random") && context.attributes().seed().map(String::isEmpty).orElse(true)) {
            context.attributes().setSeed(Long.toString(derive(suite, propertyKey(context.targetMethod()))));
            if (context.attributes().afterFailure().map(m -> m == AfterFailureMode.NOT_SET).orElse(true)) {
                // a stored failing sample must not change what a fixed-seed run draws
                context.attributes().setAfterFailure(AfterFailureMode.PREVIOUS_SEED);
            }
        }
        return property.execute();
    }

    /** Whether the hook fixes this class's seeds: a pgprop property class, or any with {@code pgprop.seedScope=all}. */
    static boolean inScope(Class<?> type) {
        return PgPropertyClasses.isPgProperties(type)
                || Settings.fromEnvironment().getChoice("seedScope", "pgprop", "pgprop", "all").equals("all");
    }

    public static String suiteSeed() {
        Settings s = Settings.fromEnvironment();
        Optional<Settings.Found> f = s.lookup("seed");
        if (f.isEmpty()) {
            return DEFAULT_SUITE_SEED;
        }
        String v = f.get().value();
        if (v.equals("random") || v.matches("-?[0-9]{1,19}")) {
            return v;
        }
        throw f.get().invalid("a whole number or 'random'");
    }

    /** {@code com.example.Props#method(java.lang.String,int)}: stable, and distinct for overloads. */
    public static String propertyKey(Method m) {
        return m.getDeclaringClass().getName() + "#" + m.getName()
                + Arrays.stream(m.getParameterTypes()).map(Class::getName).toList().toString();
    }

    /** A property's seed: SHA-256 of the suite seed and the property key, as a non-negative long. */
    public static long derive(String suiteSeed, String propertyKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((suiteSeed + "/" + propertyKey).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
