package dev.pgprop.dsl.arch.planted.clean.sub;

/** Planted, clean: used, using nothing. */
public final class Below {
    private Below() {}

    public static int value() {
        return 1;
    }
}
