package dev.pgprop.dsl;


import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.CheckSql;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The built-in invariants. Each one fails on a planted violation in pgprop's own tests.
 *
 * <pre>{@code
 * import static dev.pgprop.dsl.Invariants.*;
 *
 * db.given(data)
 *   .whenRolledBack(tx -> tx.execute("delete from allocations"))
 *   .then(noTrace(), constraintsHold(), noRows("select * from inventory where allocated > on_hand"));
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Invariants {
    /** Violating rows kept per constraint or query. */
    public static final int ROWS_KEPT = 20;
    /** Tables up to this size get a row-level diff in {@link #noTrace()}. */
    public static final int NO_TRACE_DETAIL_ROWS = 500;

    private Invariants() {}

    /**
     * Every CHECK, NOT NULL, UNIQUE, PRIMARY KEY and FOREIGN KEY of the catalog holds on the final
     * state, NOT VALID constraints included (so rows that bypassed a constraint are found).
     */
    public static Invariant constraintsHold() {
        String name = "constraintsHold";
        return Invariant.of(name, ctx -> null, (ctx, before) -> {
                // read afresh: the actions may have changed the schema (a constraint added NOT VALID, say)
                String sql = CheckSql.constraints(Catalog.read(ctx.tx().connection()), ROWS_KEPT);
                if (sql == null) {
                    return List.of();
                }
                Map<String, List<Row>> byConstraint = new LinkedHashMap<>();
                for (Row r : ctx.rows(sql)) {
                    String key = r.get("kind") + " " + r.get("name") + " on " + r.get("tbl");
                    byConstraint.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(Row.of("constraint", r.get("name"), "row", r.get("row")));
                }
                List<Violation> out = new ArrayList<>();
                byConstraint.forEach((k, rows) -> out.add(new Violation(name, k + " is violated by "
                        + rows.size() + (rows.size() >= ROWS_KEPT ? "+" : "") + " row(s)", rows)));
                return out;
        });
    }

    /**
     * The actions leave every table's content exactly as it was after {@code given} (compared by
     * digest, with a row diff for small tables). Sequence advances, which a rollback does not
     * undo, are reported in the message but are not a violation by themselves.
     */
    public static Invariant noTrace() {
        String name = "noTrace";
        return Invariant.of(name, Invariants::snapshot, (ctx, before) -> {
                Snapshot after = snapshot(ctx);
                List<Violation> out = new ArrayList<>();
                List<String> advanced = new ArrayList<>();
                after.sequences.forEach((seq, v) -> {
                    if (!Objects.equals(before.sequences.get(seq), v)) {
                        advanced.add(seq + " " + before.sequences.get(seq) + " -> " + v);
                    }
                });
                String seqNote = advanced.isEmpty() ? "" : " (sequences advanced, which rollback does not undo: "
                        + String.join(", ", advanced) + ")";
                if (!advanced.isEmpty()) {
                    // reported apart: an advance alone is no violation, but the reader should know
                    System.out.println("pgprop: noTrace: sequences advanced, which a rollback does not undo (not a"
                            + " violation by itself): " + String.join(", ", advanced));
                }
                for (Map.Entry<String, TableDigest> e : after.tables.entrySet()) {
                    TableDigest b = before.tables.get(e.getKey());
                    TableDigest a = e.getValue();
                    if (b != null && b.digest.equals(a.digest)) {
                        continue;
                    }
                    List<Row> diff = new ArrayList<>();
                    if (b != null && b.rows != null && a.rows != null) {
                        List<String> removed = new ArrayList<>(b.rows);
                        List<String> added = new ArrayList<>(a.rows);
                        for (String r : b.rows) {
                            added.remove(r);
                        }
                        for (String r : a.rows) {
                            removed.remove(r);
                        }
                        removed.forEach(r -> diff.add(Row.of("change", "-", "row", r)));
                        added.forEach(r -> diff.add(Row.of("change", "+", "row", r)));
                    }
                    out.add(new Violation(name, e.getKey() + " changed: " + (b == null ? "?" : b.count) + " rows before, "
                            + a.count + " after" + seqNote, diff.subList(0, Math.min(diff.size(), ROWS_KEPT))));
                }
                return out;
        });
    }

    private record TableDigest(long count, String digest, @Nullable List<String> rows) {}

    private record Snapshot(Map<String, TableDigest> tables, Map<String, Long> sequences) {}

    private static Snapshot snapshot(CheckContext ctx) throws Exception {
        Map<String, TableDigest> tables = new LinkedHashMap<>();
        Map<String, Long> sequences = new LinkedHashMap<>();
        String sql = CheckSql.digests(ctx.catalog(), NO_TRACE_DETAIL_ROWS);
        try (Statement s = ctx.tx().connection().createStatement()) {
            if (sql != null) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        Array arr = rs.getArray(4);
                        tables.put(rs.getString(1), new TableDigest(rs.getLong(2), rs.getString(3),
                                arr == null ? null : List.of((String[]) arr.getArray())));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery(CheckSql.sequences())) {
                while (rs.next()) {
                    sequences.put(rs.getString(1), rs.getObject(2) == null ? null : rs.getLong(2));
                }
            }
        }
        return new Snapshot(tables, sequences);
    }

    /** The query returns no rows (the rows it returns are the violation). */
    public static Invariant noRows(String sql) {
        Objects.requireNonNull(sql, "sql");
        String name = "noRows(" + sql.strip() + ")";
        return Invariant.of(name, ctx -> null, (ctx, before) -> {
            List<Row> rows = ctx.rows(sql);
            return rows.isEmpty() ? List.of()
                    : List.of(new Violation(name, rows.size() + " row(s) returned", rows.subList(0, Math.min(rows.size(), ROWS_KEPT))));
        });
    }

    /** Both queries return the same multiset of rows (order ignored); the differences are the violation. */
    public static Invariant sameRows(String sqlA, String sqlB) {
        Objects.requireNonNull(sqlA, "sqlA");
        Objects.requireNonNull(sqlB, "sqlB");
        String name = "sameRows(" + sqlA.strip() + ", " + sqlB.strip() + ")";
        return Invariant.of(name, ctx -> null, (ctx, before) -> {
            String diff = "SELECT 'only in first' AS side, x.* FROM ((" + sqlA + ") EXCEPT ALL (" + sqlB + ")) x"
                    + " UNION ALL SELECT 'only in second', y.* FROM ((" + sqlB + ") EXCEPT ALL (" + sqlA + ")) y LIMIT "
                    + ROWS_KEPT;
            List<Row> rows = ctx.rows(diff);
            return rows.isEmpty() ? List.of() : List.of(new Violation(name, "the queries differ", rows));
        });
    }

    /** A comparison on the first column of the first row of a query: {@code scalar(sql).isEqualTo(3)}. */
    public static ScalarInvariant scalar(String sql) {
        return new ScalarInvariant(Objects.requireNonNull(sql, "sql"));
    }

    /** Both queries' single values are equal (numbers compared by value). */
    public static Invariant sameScalar(String sqlA, String sqlB) {
        return invariant("sameScalar(" + sqlA.strip() + ", " + sqlB.strip() + ")", ctx -> {
            Object a = ctx.scalar(sqlA);
            Object b = ctx.scalar(sqlB);
            if (!ScalarInvariant.valuesEqual(a, b)) {
                ctx.fail("first is " + a + ", second is " + b, List.of(Row.of("first", a, "second", b)));
            }
        });
    }

    /**
     * Some transaction of the actions was rejected with one of these error classes (which are
     * then expected, not failures).
     */
    public static Invariant rejectedWith(ErrorClass first, ErrorClass... more) {
        Set<ErrorClass> classes = EnumSet.of(first, more);
        String name = "rejectedWith(" + classes + ")";
        return Invariant.of(name, ctx -> null, (ctx, before) ->
                rejection(name, ctx, r -> r.error().map(e -> classes.contains(e.errorClass())).orElse(false)))
                .expecting(classes);
    }

    /**
     * Some transaction was rejected with this SQLSTATE, or any of its class when given two
     * characters ({@code "23"}). The matching errors are expected, not failures.
     */
    public static Invariant rejectedWith(String sqlState) {
        if (!sqlState.matches("[0-9A-Z]{2}|[0-9A-Z]{5}")) {
            throw new IllegalArgumentException("'" + sqlState + "' is not a SQLSTATE (5 characters, such as 23505) or a"
                    + " SQLSTATE class (2 characters, such as 23)");
        }
        Set<ErrorClass> classes = EnumSet.noneOf(ErrorClass.class);
        for (ErrorClass c : ErrorClass.values()) {
            if (!c.sqlState().isEmpty() && (c.sqlState().startsWith(sqlState) || sqlState.startsWith(c.sqlState()))) {
                classes.add(c);
            }
        }
        if (classes.isEmpty()) {
            classes.add(ErrorClass.OTHER);
        }
        String name = "rejectedWith(" + sqlState + ")";
        return Invariant.of(name, ctx -> null, (ctx, before) ->
                rejection(name, ctx, r -> r.error().map(e -> e.sqlState().startsWith(sqlState)).orElse(false)))
                .expecting(classes);
    }

    private static List<Violation> rejection(String name, CheckContext ctx, java.util.function.Predicate<StepResult> matches) {
        List<StepResult> results = ctx.outcome().results();
        if (results.stream().anyMatch(matches)) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>();
        for (StepResult r : results) {
            rows.add(Row.of("step", r.step(), "session", r.session(), "result", r.failed() ? String.valueOf(r.pgError())
                    : r.committed() ? "committed" : "rolled back"));
        }
        return List.of(new Violation(name, results.isEmpty() ? "the scenario ran no transaction"
                : "no transaction was rejected that way", rows));
    }

    /**
     * As {@code role} with its claims, {@code sql} returns exactly the rows that {@code expectedSql}
     * returns as the session's own user (order ignored). The rows only one side has are the
     * violation; so is an error of {@code sql} as the role.
     *
     * <pre>{@code
     * Role alice = Role.named("authenticated").withClaim("sub", alice);
     * roleSees(alice, "select id from payments", "select id from payments where owner_id = '" + alice + "'")
     * }</pre>
     */
    public static Invariant roleSees(Role role, String sql, String expectedSql) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(expectedSql, "expectedSql");
        String name = "roleSees(" + role + ", " + sql.strip() + ")";
        return invariant(name, ctx -> {
            List<Row> expected = ctx.rows(expectedSql);
            List<Row> seen;
            try {
                seen = actingAs(ctx.handle(), role, h -> h.select(sql).mapTo(Row.class).list());
            } catch (RuntimeException e) {
                PgError err = PgError.classify(e).orElseThrow(() -> e);
                ctx.fail("as " + role + " the query failed with " + err, List.of());
                return;
            }
            List<Row> missing = new ArrayList<>(expected);
            List<Row> extra = new ArrayList<>();
            for (Row r : seen) {
                if (!missing.remove(r)) {
                    extra.add(r);
                }
            }
            if (!missing.isEmpty() || !extra.isEmpty()) {
                List<Row> rows = new ArrayList<>();
                extra.forEach(r -> rows.add(sided("seen, not expected", r)));
                missing.forEach(r -> rows.add(sided("expected, not seen", r)));
                ctx.fail("as " + role + " the query returned " + seen.size() + " row(s), " + expected.size() + " expected: "
                        + extra.size() + " it must not see, " + missing.size() + " it does not see",
                        rows.subList(0, Math.min(rows.size(), ROWS_KEPT)));
            }
        });
    }

    /**
     * {@code role} cannot read any row of {@code table}: its {@code SELECT} is refused (42501, no
     * privilege) or returns nothing (row-level security). The rows it reads are the violation.
     *
     * <pre>{@code
     * db.given(data).then(roleCannotRead(Role.named("anon"), "payments"));
     * }</pre>
     */
    public static Invariant roleCannotRead(Role role, String table) {
        Objects.requireNonNull(role, "role");
        String from = SqlLiterals.identifier(Objects.requireNonNull(table, "table"));
        return invariant("roleCannotRead(" + role + ", " + table + ")", ctx -> {
            List<Row> rows;
            try {
                rows = actingAs(ctx.handle(), role, h -> h.select("SELECT * FROM " + from + " LIMIT " + ROWS_KEPT)
                        .mapTo(Row.class).list());
            } catch (RuntimeException e) {
                if (refused(e)) {
                    return;
                }
                throw e;
            }
            if (!rows.isEmpty()) {
                ctx.fail("as " + role + " a select on " + table + " returned rows", rows);
            }
        });
    }

    /**
     * {@code role} cannot change {@code table}: an {@code INSERT}, an {@code UPDATE} of every row
     * and a {@code DELETE} of every row, each tried as the role and rolled back, are each refused
     * (42501: no privilege, or row-level security) or change no row. An insert that gets past the
     * privilege and policy checks (to a constraint, or into the table) is a violation, and so is
     * any row updated or deleted. Meaningful on a table with rows.
     *
     * <pre>{@code
     * db.given(data).then(roleCannotWrite(Role.named("anon"), "payments"));
     * }</pre>
     */
    public static Invariant roleCannotWrite(Role role, String table) {
        Objects.requireNonNull(role, "role");
        String target = SqlLiterals.identifier(Objects.requireNonNull(table, "table"));
        return invariant("roleCannotWrite(" + role + ", " + table + ")", ctx -> {
            Object first = ctx.scalar("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0"
                    + " AND NOT attisdropped ORDER BY attnum LIMIT 1", target);
            if (first == null) {
                throw new IllegalArgumentException("roleCannotWrite: table " + table + " has no columns");
            }
            String column = SqlLiterals.identifier(first.toString());
            Map<String, String> attempts = new LinkedHashMap<>();
            attempts.put("insert", "INSERT INTO " + target + " DEFAULT VALUES");
            attempts.put("update", "UPDATE " + target + " SET " + column + " = " + column);
            attempts.put("delete", "DELETE FROM " + target);
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, String> a : attempts.entrySet()) {
                String outcome = actingAs(ctx.handle(), role, h -> {
                    try {
                        int n = h.execute(a.getValue());
                        return n == 0 && !a.getKey().equals("insert") ? null : n + " row(s) changed";
                    } catch (RuntimeException e) {
                        if (refused(e)) {
                            return null;
                        }
                        return "got past the privilege checks: " + PgError.classify(e).map(Object::toString).orElseThrow(() -> e);
                    }
                });
                if (outcome != null) {
                    rows.add(Row.of("statement", a.getValue(), "outcome", outcome));
                }
            }
            if (!rows.isEmpty()) {
                ctx.fail("as " + role + " " + rows.size() + " kind(s) of write to " + table + " were not refused", rows);
            }
        });
    }

    private static Row sided(String side, Row r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("side", side);
        m.putAll(r.values());
        return Row.of(m);
    }

    private static boolean refused(RuntimeException e) {
        return PgError.classify(e).map(err -> err.errorClass() == ErrorClass.INSUFFICIENT_PRIVILEGE).orElse(false);
    }

    /** Runs {@code body} as the role on the check session; everything it did is rolled back. */
    private static <T> T actingAs(org.jdbi.v3.core.Handle h, Role role, java.util.function.Function<org.jdbi.v3.core.Handle, T> body)
            throws java.sql.SQLException {
        java.sql.Connection c = h.getConnection();
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        } else {
            h.execute("SAVEPOINT pgprop_role");
        }
        try {
            role.applyLocally(h);
            return body.apply(h);
        } finally {
            if (autoCommit) {
                c.rollback();
                c.setAutoCommit(true);
            } else {
                h.execute("ROLLBACK TO SAVEPOINT pgprop_role");
                h.execute("RELEASE SAVEPOINT pgprop_role");
            }
        }
    }

    /** A custom invariant: the check throws (an assertion, or {@link CheckContext#fail}) when it does not hold. */
    public static Invariant invariant(String name, InvariantCheck check) {
        return Invariant.of(name, check);
    }

    /**
     * A comparison of a query's single value; made by {@link Invariants#scalar}.
     *
     * <pre>{@code
     * scalar("select count(*) from allocations where status = 'allocated'").isAtMost(10)
     * }</pre>
     */
    public static final class ScalarInvariant {
        private final String sql;

        ScalarInvariant(String sql) {
            this.sql = sql;
        }

        public Invariant isEqualTo(@Nullable Object expected) {
            return compare("= " + expected, v -> valuesEqual(v, expected));
        }

        public Invariant isNotEqualTo(@Nullable Object unexpected) {
            return compare("<> " + unexpected, v -> !valuesEqual(v, unexpected));
        }

        public Invariant isAtMost(Number max) {
            return compare("<= " + max, v -> v instanceof Number n && decimal(n).compareTo(decimal(max)) <= 0);
        }

        public Invariant isAtLeast(Number min) {
            return compare(">= " + min, v -> v instanceof Number n && decimal(n).compareTo(decimal(min)) >= 0);
        }

        public Invariant isBetween(Number min, Number max) {
            return compare("between " + min + " and " + max, v -> v instanceof Number n
                    && decimal(n).compareTo(decimal(min)) >= 0 && decimal(n).compareTo(decimal(max)) <= 0);
        }

        private Invariant compare(String expectation, java.util.function.Predicate<@Nullable Object> ok) {
            return invariant("scalar(" + sql.strip() + ") " + expectation, ctx -> {
                Object v = ctx.scalar(sql);
                if (!ok.test(v)) {
                    ctx.fail("the value is " + v + ", expected " + expectation, List.of(Row.of("value", v)));
                }
            });
        }

        static boolean valuesEqual(@Nullable Object a, @Nullable Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return decimal(x).compareTo(decimal(y)) == 0;
            }
            return Objects.equals(a, b) || (a != null && b != null && a.toString().equals(b.toString())
                    && !(a instanceof Number) && !(b instanceof Number));
        }

        private static BigDecimal decimal(Number n) {
            return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
        }
    }
}
