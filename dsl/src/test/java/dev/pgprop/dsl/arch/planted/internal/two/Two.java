package dev.pgprop.dsl.arch.planted.internal.two;

import dev.pgprop.dsl.arch.planted.internal.one.One;

/** Planted: the other half of the internal cycle. */
public final class Two {
    private Two() {}

    public static int value() {
        return 1;
    }

    public static Class<?> back() {
        return One.class;
    }
}
