package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.generators.schema.SchemaGenerationException;
import net.jqwik.api.Arbitrary;

/** Values of one type, in the form a dataset carries them. */
public final class TypeValues {
    private TypeValues() {}

    public static Arbitrary<Object> of(PgType type) {
        try {
            return Values.gen(type, new Narrowing()).arbitrary().map(v -> Values.output(type, v));
        } catch (Values.Unsupported e) {
            throw new SchemaGenerationException("", "pgprop cannot draw values of type " + e.getMessage());
        }
    }
}
