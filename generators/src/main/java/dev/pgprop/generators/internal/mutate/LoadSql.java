package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import java.util.regex.Pattern;

/**
 * A dataset as the SQL that loads it into the original and into each mutant: the loader's INSERTs
 * with {@code OVERRIDING SYSTEM VALUE}, so that a row may write a {@code GENERATED ALWAYS} identity
 * column (an edge dataset of two rows equal on such a key). Drawn datasets never write one, and for
 * any other column the clause changes nothing.
 */
final class LoadSql {
    private static final Pattern INSERT = Pattern.compile("(?m)^(INSERT INTO \\S+ \\([^)]*\\)) VALUES ");

    private LoadSql() {}

    static String of(Catalog catalog, Dataset d) {
        return INSERT.matcher(Loader.sql(catalog, d)).replaceAll("$1 OVERRIDING SYSTEM VALUE VALUES ");
    }
}
