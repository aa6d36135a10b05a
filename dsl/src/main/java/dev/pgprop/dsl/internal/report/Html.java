package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.Escape;

/** HTML escaping for text and attribute values. */
final class Html {
    private Html() {}

    static String esc(String s) {
        return Escape.html(s);
    }
}
