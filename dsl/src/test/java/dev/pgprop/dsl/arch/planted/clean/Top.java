package dev.pgprop.dsl.arch.planted.clean;

import dev.pgprop.dsl.arch.planted.clean.sub.Below;

/** Planted, clean: a package that uses another one, which does not use it back. */
public final class Top {
    private Top() {}

    public static int value() {
        return Below.value();
    }
}
