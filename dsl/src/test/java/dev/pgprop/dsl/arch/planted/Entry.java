package dev.pgprop.dsl.arch.planted;

import dev.pgprop.dsl.arch.planted.feature.Feature;

/** Planted: a public entry point, and half of a cycle with {@link Feature}. */
public final class Entry {
    private Entry() {}

    public static int start() {
        return Feature.size() + 1;
    }
}
