package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Asks the server what boolean expressions over a table's columns (CHECKs, index predicates,
 * domain CHECKs with VALUE replaced by the column) give for candidate rows, without inserting
 * them: {@code SELECT (e1), (e2) FROM (VALUES …) AS t(columns)}.
 */
final class ServerEval {
    private ServerEval() {}

    /** The type a candidate value is cast to: the column's type under its domains, without modifier. */
    static String castType(PgType type) {
        PgType t = type.underlying();
        if (t.kind() == PgType.Kind.BASE && t.schema().equals("pg_catalog")) {
            return t.name().equals("bit") ? "varbit" : t.name(); // bit without a length is bit(1): it would cut the value
        }
        return SqlLiterals.identifier(t.schema()) + "." + SqlLiterals.identifier(t.name());
    }

    /** A column's value in a candidate row as SQL: its literal, or its default when the row leaves it out. */
    static String value(Column c, Row row) {
        if (row.has(c.name())) {
            Object v = row.get(c.name());
            return "(" + SqlLiterals.literal(v, c.type().underlying().formatted()) + ")::" + castType(c.type());
        }
        String d = c.defaultExpression().orElse(null);
        if (d != null && !d.contains("nextval(")) {
            return "(" + d + ")::" + castType(c.type());
        }
        return "NULL::" + castType(c.type());
    }

    /** {@code expression} with a domain CHECK's {@code VALUE} replaced by the column. */
    static String domainExpression(String expression, String column) {
        return expression.replaceAll("\\bVALUE\\b", java.util.regex.Matcher.quoteReplacement(SqlLiterals.identifier(column)));
    }

    /** What the expressions gave on one row; {@code failed} when the server could not evaluate the row at all. */
    record Result(List<@Nullable Boolean> values, boolean failed) {
        boolean isFalse(int i) {
            return !failed && Boolean.FALSE.equals(values.get(i));
        }

        boolean isTrue(int i) {
            return !failed && Boolean.TRUE.equals(values.get(i));
        }
    }

    /** Each expression on each row (TRUE, FALSE or NULL). */
    static List<Result> evaluate(Connection c, Table t, List<Row> rows, List<String> expressions) throws SQLException {
        List<Result> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        if (expressions.isEmpty()) {
            rows.forEach(r -> out.add(new Result(List.of(), false)));
            return out;
        }
        try {
            for (List<@Nullable Boolean> r : query(c, t, rows, expressions)) {
                out.add(new Result(r, false));
            }
            return out;
        } catch (SQLException batch) {
            // one row the server cannot evaluate spoils the batch: evaluate them one by one
            for (Row r : rows) {
                try {
                    out.add(new Result(query(c, t, List.of(r), expressions).get(0), false));
                } catch (SQLException e) {
                    out.add(new Result(List.of(), true));
                }
            }
            return out;
        }
    }

    private static List<List<@Nullable Boolean>> query(Connection c, Table t, List<Row> rows, List<String> expressions)
            throws SQLException {
        List<Column> cols = t.columns().stream().filter(col -> !col.isGenerated()).toList();
        StringJoiner names = new StringJoiner(", ");
        for (Column col : cols) {
            names.add(SqlLiterals.identifier(col.name()));
        }
        StringJoiner values = new StringJoiner(", ");
        for (Row r : rows) {
            StringJoiner v = new StringJoiner(", ", "(", ")");
            for (Column col : cols) {
                v.add(value(col, r));
            }
            values.add(v.toString());
        }
        StringJoiner select = new StringJoiner(", ");
        for (String e : expressions) {
            select.add("(" + e + ")::boolean");
        }
        String sql = "SELECT " + select + " FROM (VALUES " + values + ") AS t(" + names + ")";
        boolean auto = c.getAutoCommit();
        Savepoint sp = auto ? null : c.setSavepoint();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<@Nullable Boolean>> out = new ArrayList<>();
            while (rs.next()) {
                List<@Nullable Boolean> row = new ArrayList<>();
                for (int i = 1; i <= expressions.size(); i++) {
                    boolean b = rs.getBoolean(i);
                    row.add(rs.wasNull() ? null : b);
                }
                out.add(row);
            }
            if (sp != null) {
                c.releaseSavepoint(sp);
            }
            return out;
        } catch (SQLException e) {
            if (sp != null) {
                c.rollback(sp);
            }
            throw e;
        }
    }
}
