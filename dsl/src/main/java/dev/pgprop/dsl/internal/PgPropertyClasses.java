package dev.pgprop.dsl.internal;

import dev.pgprop.dsl.PgProperties;
import java.lang.reflect.Modifier;

/**
 * What counts as a pgprop property: a property of a class annotated {@link PgProperties} (directly,
 * by inheritance, or as a non-static inner group of such a class). pgprop's global hooks and
 * launcher listeners act on these only, so other tests in the same JVM see no effect of pgprop.
 */
public final class PgPropertyClasses {
    /** The annotation as it appears in a class file, for scanning without loading classes. */
    public static final String DESCRIPTOR = "L" + PgProperties.class.getName().replace('.', '/') + ";";

    private PgPropertyClasses() {}

    public static boolean isPgProperties(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (c.isAnnotationPresent(PgProperties.class)) {
                return true;
            }
            if (Modifier.isStatic(c.getModifiers()) || c.getEnclosingClass() == null) {
                return false;
            }
        }
        return false;
    }
}
