package dev.pgprop.dsl.arch.planted.feature;

import dev.pgprop.dsl.arch.planted.Entry;

/** Planted: the other half of the cycle public package -> feature -> public package. */
public final class Feature {
    private Feature() {}

    public static int size() {
        return 1;
    }

    public static Class<?> entry() {
        return Entry.class;
    }
}
