package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.internal.Escape;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** SQL that re-checks the catalog's constraints on the current state, and table digests. */
public final class CheckSql {
    private CheckSql() {}

    static String q(String identifier) {
        return Escape.sqlIdentifier(identifier);
    }

    private static String lit(String s) {
        return Escape.sqlString(s);
    }

    /**
     * One query over every CHECK, NOT NULL, UNIQUE/PRIMARY KEY and FOREIGN KEY constraint, NOT
     * VALID ones included; rows: (kind, constraint, table, offending row as json), at most {@code
     * perConstraint} per constraint. Null when the schema has no constraints.
     */
    public static String constraints(Catalog catalog, int perConstraint) {
        List<String> parts = new ArrayList<>();
        for (Catalog.Check c : catalog.checks()) {
            parts.add("(SELECT 'check' AS kind, " + lit(c.name()) + " AS name, " + lit(c.table().name()) + " AS tbl,"
                    + " to_jsonb(t)::text AS row FROM " + c.table().qualified() + " t WHERE (" + c.expression()
                    + ") IS FALSE LIMIT " + perConstraint + ")");
        }
        for (Catalog.NotNull n : catalog.notNulls()) {
            parts.add("(SELECT 'not null', " + lit(n.table().name() + "." + n.column()) + ", " + lit(n.table().name())
                    + ", to_jsonb(t)::text FROM " + n.table().qualified() + " t WHERE t." + q(n.column()) + " IS NULL LIMIT "
                    + perConstraint + ")");
        }
        for (Catalog.Unique u : catalog.uniques()) {
            StringJoiner cols = new StringJoiner(", ");
            StringJoiner notNull = new StringJoiner(" AND ");
            StringJoiner obj = new StringJoiner(", ");
            for (String col : u.columns()) {
                cols.add(q(col));
                notNull.add(q(col) + " IS NOT NULL");
                obj.add(lit(col) + ", " + q(col));
            }
            String where = u.primaryKey() || u.nullsNotDistinct() ? "" : " WHERE " + notNull;
            parts.add("(SELECT '" + (u.primaryKey() ? "primary key" : "unique") + "', " + lit(u.name()) + ", "
                    + lit(u.table().name()) + ", jsonb_build_object(" + obj + ", 'duplicates', count(*))::text FROM "
                    + u.table().qualified() + where + " GROUP BY " + cols + " HAVING count(*) > 1 LIMIT " + perConstraint + ")");
        }
        for (Catalog.ForeignKey fk : catalog.foreignKeys()) {
            StringJoiner notNull = new StringJoiner(" AND ");
            StringJoiner match = new StringJoiner(" AND ");
            for (int i = 0; i < fk.childColumns().size(); i++) {
                notNull.add("c." + q(fk.childColumns().get(i)) + " IS NOT NULL");
                match.add("p." + q(fk.parentColumns().get(i)) + " = c." + q(fk.childColumns().get(i)));
            }
            parts.add("(SELECT 'foreign key', " + lit(fk.name()) + ", " + lit(fk.child().name()) + ", to_jsonb(c)::text FROM "
                    + fk.child().qualified() + " c WHERE " + notNull + " AND NOT EXISTS (SELECT 1 FROM "
                    + fk.parent().qualified() + " p WHERE " + match + ") LIMIT " + perConstraint + ")");
        }
        return parts.isEmpty() ? null : String.join("\nUNION ALL ", parts);
    }

    /**
     * One query: per table, its row count, an md5 of its sorted rows, and (for tables of at
     * most {@code detailRows} rows) the rows as text, for a readable diff.
     */
    public static String digests(Catalog catalog, int detailRows) {
        List<String> parts = new ArrayList<>();
        for (Catalog.Table t : catalog.tables()) {
            parts.add("(SELECT " + lit(t.qualified()) + " AS tbl, count(*) AS n, md5(coalesce(string_agg(x::text, E'\\n'"
                    + " ORDER BY x::text), '')) AS digest, CASE WHEN count(*) <= " + detailRows
                    + " THEN array_agg(x::text ORDER BY x::text) END AS rows FROM " + t.qualified() + " x)");
        }
        return parts.isEmpty() ? null : String.join("\nUNION ALL ", parts);
    }

    /** Current value of every sequence (for reporting sequence advances). */
    public static String sequences() {
        return "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
                + " WHERE schemaname NOT IN " + Catalog.SYSTEM_SCHEMAS + " ORDER BY 1";
    }
}
