package dev.pgprop.dsl.arch.planted.internal;

import dev.pgprop.dsl.arch.planted.Entry;

/** Planted: internal code that calls back into a public entry point. */
public final class CallsBack {
    private CallsBack() {}

    public static int run() {
        return Entry.start();
    }
}
