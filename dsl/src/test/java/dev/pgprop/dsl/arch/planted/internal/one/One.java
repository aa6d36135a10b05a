package dev.pgprop.dsl.arch.planted.internal.one;

import dev.pgprop.dsl.arch.planted.internal.two.Two;

/** Planted: half of a cycle between two internal packages. */
public final class One {
    private One() {}

    public static int value() {
        return Two.value() + 1;
    }
}
