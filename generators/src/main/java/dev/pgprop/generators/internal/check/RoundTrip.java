package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * After a dataset is loaded: does every row read back with the values it was given? Each value is
 * compared on the server with the value it was written as, cast to the column's type without its
 * modifier ({@code numeric}, not {@code numeric(4,2)}), so silent rounding, truncation or a
 * trigger that rewrites a value shows; JSON is compared as text (it has no equality).
 */
public final class RoundTrip {
    private RoundTrip() {}

    /** One query per table and set of columns: the first of its rows that does not read back. */
    private record Probe(Table table, String name, List<Column> cols, List<Row> rows, String values, String names, String sql) {}

    /**
     * The first row (as SQL) that did not read back, or null when every row did. Every table's
     * query travels in one round trip.
     */
    public static @Nullable String firstMismatch(Connection c, Schema schema, Dataset data) throws SQLException {
        List<Probe> probes = probes(schema, data);
        if (probes.isEmpty()) {
            return null;
        }
        StringJoiner all = new StringJoiner(";\n");
        probes.forEach(p -> all.add(p.sql()));
        try (Statement s = c.createStatement()) {
            boolean results = s.execute(all.toString());
            for (Probe p : probes) {
                while (!results && s.getUpdateCount() != -1) {
                    results = s.getMoreResults();
                }
                int bad = -1;
                try (ResultSet rs = s.getResultSet()) {
                    if (rs.next()) {
                        bad = rs.getInt(1);
                    }
                }
                if (bad >= 0) {
                    return columnsThatDiffer(c, p.table(), p.cols(), p.values(), p.names(), bad) + " in "
                            + SqlLiterals.insert(p.name(), p.rows().get(bad));
                }
                results = s.getMoreResults();
            }
        }
        return null;
    }

    private static List<Probe> probes(Schema schema, Dataset data) {
        List<Probe> probes = new ArrayList<>();
        for (String name : data.tables()) {
            Table t = schema.table(name);
            Map<Set<String>, List<Row>> byColumns = new LinkedHashMap<>();
            for (Row r : data.rows(name)) {
                byColumns.computeIfAbsent(r.columns(), k -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<Set<String>, List<Row>> group : byColumns.entrySet()) {
                List<Column> cols = new ArrayList<>();
                for (String col : group.getKey()) {
                    Column column = t.column(col);
                    if (!column.isGenerated()) {
                        cols.add(column);
                    }
                }
                if (cols.isEmpty()) {
                    continue;
                }
                StringJoiner names = new StringJoiner(", ");
                StringJoiner match = new StringJoiner(" AND ");
                names.add("pgprop_row");
                for (Column col : cols) {
                    String q = SqlLiterals.identifier(col.name());
                    names.add(q);
                    match.add(comparable(col.type(), "t." + q) + " IS NOT DISTINCT FROM " + comparable(col.type(), "v." + q));
                }
                StringJoiner values = new StringJoiner(", ");
                int n = 0;
                for (Row r : group.getValue()) {
                    StringJoiner v = new StringJoiner(", ", "(", ")");
                    v.add(Integer.toString(n++));
                    for (Column col : cols) {
                        v.add("(" + SqlLiterals.literal(r.get(col.name()), col.type().underlying().formatted()) + ")::"
                                + ServerEval.castType(col.type()));
                    }
                    values.add(v.toString());
                }
                String sql = "SELECT v.pgprop_row FROM (VALUES " + values + ") AS v(" + names + ") WHERE NOT EXISTS (SELECT 1 FROM "
                        + SqlLiterals.identifier(t.schema()) + "." + SqlLiterals.identifier(t.name()) + " t WHERE " + match
                        + ") ORDER BY 1 LIMIT 1";
                probes.add(new Probe(t, name, cols, group.getValue(), values.toString(), names.toString(), sql));
            }
        }
        return probes;
    }

    /** The columns whose value no row of the table has: what did not read back. */
    private static String columnsThatDiffer(Connection c, Table t, List<Column> cols, String values, String names, int row)
            throws SQLException {
        StringJoiner select = new StringJoiner(", ");
        for (Column col : cols) {
            String q = SqlLiterals.identifier(col.name());
            select.add("bool_or(" + comparable(col.type(), "t." + q) + " IS NOT DISTINCT FROM " + comparable(col.type(), "v." + q) + ")");
        }
        String sql = "SELECT " + select + " FROM " + SqlLiterals.identifier(t.schema()) + "." + SqlLiterals.identifier(t.name())
                + " t, (VALUES " + values + ") AS v(" + names + ") WHERE v.pgprop_row = " + row;
        List<String> differ = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            for (int i = 0; i < cols.size(); i++) {
                if (!rs.getBoolean(i + 1)) {
                    differ.add(cols.get(i).name());
                }
            }
        }
        return "column(s) " + differ;
    }

    private static String comparable(PgType type, String expr) {
        PgType u = type.underlying();
        boolean json = u.name().equals("json") || (u.kind() == PgType.Kind.ARRAY
                && u.element().map(e -> e.underlying().name().equals("json")).orElse(false));
        boolean noEquality = json || u.kind() == PgType.Kind.COMPOSITE || u.kind() == PgType.Kind.OTHER
                || List.of("point", "xml", "line", "lseg", "box", "path", "polygon", "circle").contains(u.name());
        return noEquality ? expr + "::text" : expr;
    }
}
