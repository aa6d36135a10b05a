package dev.pgprop.dsl.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A column's type as the catalog declares it, with its modifier applied: {@code varchar(20)}
 * has {@code length() == 20}, {@code numeric(10,2)} has precision 10 and scale 2, {@code
 * vector(3)} has {@code dimensions() == 3}. Arrays carry their element type, domains their base
 * type with the domain's NOT NULL and CHECKs, composites their attributes, ranges their subtype,
 * enums their labels in sort order.
 *
 * <pre>{@code
 * PgType t = table.column("price").type();
 * if (t.kind() == PgType.Kind.BASE && t.name().equals("numeric")) {
 *     int digits = t.precision().orElse(1000);
 * }
 * }</pre>
 *
 * @param schema the type's schema ({@code pg_catalog} for built-in types)
 * @param name the type's name ({@code int4}, {@code varchar}, {@code _int4} for an array)
 * @param formatted the type as SQL writes it, modifier included ({@code character varying(20)})
 * @param kind what sort of type it is
 * @param length characters of {@code varchar}/{@code char}, bits of {@code bit}/{@code varbit}; -1 if unbounded
 * @param precision digits of {@code numeric}, fractional second digits of times; -1 if unconstrained
 * @param scale digits after the point of {@code numeric}; -1 if unconstrained
 * @param dimensions dimensions of {@code vector}/{@code halfvec}/{@code sparsevec}; -1 if unconstrained
 * @param element the element type of an array, the base type of a domain, the subtype of a range
 * @param labels an enum's labels in sort order
 * @param attributes a composite's attributes in order
 * @param domainNotNull a domain declared NOT NULL
 * @param domainChecks a domain's CHECK constraints ({@code VALUE} names the value)
 */
public record PgType(String schema, String name, String formatted, Kind kind, int length, int precision, int scale,
                     int dimensions, Optional<PgType> element, List<String> labels, List<Attribute> attributes,
                     boolean domainNotNull, List<Constraint.Check> domainChecks) {

    /** What sort of type a {@link PgType} is. */
    public enum Kind {
        /** A built-in or extension scalar type: {@code int4}, {@code text}, {@code uuid}, … */
        BASE,
        /** An enum: see {@link PgType#labels()}. */
        ENUM,
        /** A domain over {@link PgType#element()}, with its NOT NULL and CHECKs. */
        DOMAIN,
        /** A composite (row) type: see {@link PgType#attributes()}. */
        COMPOSITE,
        /** A range over the subtype {@link PgType#element()}. */
        RANGE,
        /** An array of {@link PgType#element()}. */
        ARRAY,
        /** pgvector's {@code vector}, {@code halfvec} or {@code sparsevec}. */
        VECTOR,
        /** Anything else (a multirange, a pseudo-type): generators ask for an override. */
        OTHER
    }

    /** One attribute of a composite type. */
    public record Attribute(String name, PgType type) {
        public Attribute {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    public PgType {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(formatted, "formatted");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(element, "element");
        labels = List.copyOf(labels);
        attributes = List.copyOf(attributes);
        domainChecks = List.copyOf(domainChecks);
    }

    /** A built-in type without modifier, such as {@code base("int4", "integer")}. */
    public static PgType base(String name, String formatted) {
        return new PgType("pg_catalog", name, formatted, Kind.BASE, -1, -1, -1, -1, Optional.empty(), List.of(),
                List.of(), false, List.of());
    }

    /** The type under any domains: a domain over a domain over {@code int4} gives {@code int4}. */
    public PgType underlying() {
        return kind == Kind.DOMAIN ? element.orElseThrow().underlying() : this;
    }

    /** The length modifier, when declared. */
    public Optional<Integer> maxLength() {
        return length < 0 ? Optional.empty() : Optional.of(length);
    }

    /** The precision modifier, when declared. */
    public Optional<Integer> maxPrecision() {
        return precision < 0 ? Optional.empty() : Optional.of(precision);
    }

    /** The type's name qualified by its schema unless built in. */
    public String qualifiedName() {
        return schema.equals("pg_catalog") ? name : schema + "." + name;
    }

    @Override
    public String toString() {
        return formatted;
    }
}
