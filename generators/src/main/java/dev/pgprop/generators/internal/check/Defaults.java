package dev.pgprop.generators.internal.check;

import static dev.pgprop.generators.internal.check.Behaviours.id;
import static dev.pgprop.generators.internal.check.Behaviours.q;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.internal.check.Behaviours.Verdict;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.RandomGenerator;

/**
 * Defaults apply: a row inserted without the column gets the declared default (triggers off, so
 * that only the default speaks). A default that calls a volatile function ({@code nextval},
 * {@code gen_random_uuid()}, {@code clock_timestamp()}) is checked for its type and for being
 * non-null, not for its value; an identity column for a value.
 */
final class Defaults {
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    private final Behaviours b;

    Defaults(Behaviours b) {
        this.b = b;
    }

    List<SchemaCheck.BehaviourResult> check(Table t, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        List<SchemaCheck.BehaviourResult> out = new ArrayList<>();
        for (Column col : t.columns()) {
            if (col.isGenerated() || !col.hasDefault()) {
                continue;
            }
            String object = col.name() + " DEFAULT " + col.defaultExpression().orElse("identity");
            out.add(b.sampled("default", t, object, gen, random, b.samples, d -> probe(t, col, d)));
        }
        return out;
    }

    private Verdict probe(Table t, Column col, Dataset d) throws SQLException {
        List<Row> rows = d.rows(t.datasetName());
        if (rows.isEmpty()) {
            return Verdict.skip("no row of " + t.datasetName() + " drawn");
        }
        Row row = rows.get(rows.size() - 1).without(col.name());
        b.replica();
        if (!b.load(d.with(t.datasetName(), rows.subList(0, rows.size() - 1)))) {
            return Verdict.skip("the dataset did not load");
        }
        String insert = SqlLiterals.insertInto(q(t), row, c -> t.hasColumn(c) ? t.column(c).type().formatted() : null);
        insert = insert.substring(0, insert.length() - 1);
        String type = col.type().formatted();
        boolean isVolatile = col.defaultExpression().map(this::callsVolatile).orElse(true);
        String expected = col.defaultExpression().map(e -> "(" + e + ")::" + type).orElse("NULL");
        String sql = "WITH ins AS (" + insert + " RETURNING " + id(col.name()) + " AS v) SELECT v::text, (" + expected
                + ")::text, (v IS NULL)::text, pg_typeof(v)::text FROM ins";
        String script = "-- triggers and foreign-key checks off, so that only the default speaks\n"
                + "SET LOCAL session_replication_role = replica;\n" + sql + ";\n";
        List<List<String>> result;
        try {
            result = rowsOrError(sql);
        } catch (org.postgresql.util.PSQLException e) {
            if ("23502".equals(e.getSQLState()) && e.getServerErrorMessage() != null
                    && col.name().equals(e.getServerErrorMessage().getColumn())) {
                return Verdict.fail("a row inserted without " + col.name() + " is refused (" + Behaviours.firstLine(e.getMessage())
                        + ") although the column's default is " + col.defaultExpression().orElse("an identity"), script);
            }
            return Verdict.skip("the row without " + col.name() + " did not insert: " + e.getSQLState() + " "
                    + Behaviours.firstLine(e.getMessage()));
        }
        if (result.isEmpty()) {
            return Verdict.skip("no row inserted (a rule?)");
        }
        List<String> r = result.get(0);
        String got = r.get(0);
        String want = r.get(1);
        boolean isNull = "true".equals(r.get(2));
        if (isVolatile) {
            if (isNull && (want != null || col.identity() != Column.Identity.NONE)) {
                return Verdict.fail("a row inserted without " + col.name() + " got NULL although its default is "
                        + col.defaultExpression().orElse("an identity"), script);
            }
            return Verdict.pass();
        }
        if (got == null ? want == null : got.equals(want)) {
            return Verdict.pass();
        }
        return Verdict.fail("a row inserted without " + col.name() + " got " + (got == null ? "NULL" : "'" + got + "'") + "; its declared"
                + " default " + col.defaultExpression().orElseThrow() + " gives " + (want == null ? "NULL" : "'" + want + "'"), script);
    }

    @SuppressWarnings("unchecked")
    private List<List<String>> rowsOrError(String sql) throws SQLException {
        b.exec("SAVEPOINT pgprop_default");
        try {
            List<?> out = b.rows(sql);
            b.exec("RELEASE SAVEPOINT pgprop_default");
            return (List<List<String>>) out;
        } catch (org.postgresql.util.PSQLException e) {
            b.exec("ROLLBACK TO SAVEPOINT pgprop_default");
            throw e;
        }
    }

    /** The expression calls a volatile function (looked up by name in pg_proc). */
    private boolean callsVolatile(String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = CALL.matcher(expression);
        while (m.find()) {
            names.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        for (String n : names) {
            Boolean v = b.volatileFunctions.get(n);
            if (v == null) {
                try {
                    v = "true".equals(b.scalar("SELECT coalesce(bool_or(provolatile = 'v'), false)::text FROM pg_proc WHERE proname = "
                            + Behaviours.lit(n)));
                } catch (SQLException e) {
                    v = true;
                }
                b.volatileFunctions.put(n, v);
            }
            if (v) {
                return true;
            }
        }
        return false;
    }
}
