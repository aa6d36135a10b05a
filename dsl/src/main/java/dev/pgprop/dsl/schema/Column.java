package dev.pgprop.dsl.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * A table column: its type, NOT NULL, default, identity and generation.
 *
 * <pre>{@code
 * Column c = table.column("id");
 * boolean mustSupply = c.notNull() && !c.hasDefault() && !c.isGenerated();
 * }</pre>
 *
 * @param position {@code attnum}, from 1
 * @param defaultExpression the default as SQL ({@code nextval('t_id_seq'::regclass)} for a serial)
 * @param identity {@code ALWAYS}/{@code BY_DEFAULT} for an identity column, {@code NONE} otherwise
 * @param generatedExpression the expression of a {@code GENERATED ALWAYS AS (…) STORED} column
 */
public record Column(String name, int position, PgType type, boolean notNull, Optional<String> defaultExpression,
                     Identity identity, Optional<String> generatedExpression) {

    /** How an identity column gets its value. */
    public enum Identity { NONE, ALWAYS, BY_DEFAULT }

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultExpression, "defaultExpression");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(generatedExpression, "generatedExpression");
    }

    /** A default, an identity or a serial: the column may be left out of an INSERT. */
    public boolean hasDefault() {
        return defaultExpression.isPresent() || identity != Identity.NONE;
    }

    /** A serial (a default that calls {@code nextval}). */
    public boolean isSerial() {
        return defaultExpression.map(d -> d.startsWith("nextval(")).orElse(false);
    }

    /** A stored generated column: an INSERT must leave it out. */
    public boolean isGenerated() {
        return generatedExpression.isPresent();
    }

    /** NOT NULL here or through its domain. */
    public boolean nullable() {
        return !notNull && !domainNotNull(type);
    }

    private static boolean domainNotNull(PgType t) {
        return t.kind() == PgType.Kind.DOMAIN && (t.domainNotNull() || domainNotNull(t.element().orElseThrow()));
    }
}
