package dev.pgprop.properties;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.migrations.Migrations;

/** What the suite reads from the configuration: the schema's embedding dimension. */
public final class SuiteConfig {
    private SuiteConfig() {}

    /** The configured {@code embedding_dim} placeholder, else the migrations' default. */
    public static int embeddingDim() {
        String configured = MigrationSet.fromConfig().placeholders().get(Migrations.EMBEDDING_DIM_PLACEHOLDER);
        return configured == null ? Migrations.DEFAULT_EMBEDDING_DIM : Integer.parseInt(configured.strip());
    }
}
