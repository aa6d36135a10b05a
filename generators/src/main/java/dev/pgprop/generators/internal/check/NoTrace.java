package dev.pgprop.generators.internal.check;

import static dev.pgprop.generators.internal.check.Behaviours.id;
import static dev.pgprop.generators.internal.check.Behaviours.q;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.internal.check.Behaviours.Verdict;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.RandomGenerator;

/**
 * A rolled-back random write leaves no trace: a dataset is loaded, its rows of the table updated
 * (every column set to itself, so that update triggers fire) and one deleted, the transaction
 * rolled back; then every table of the schema must hold what it held before (count and a hash of
 * its rows), the session must hold no advisory lock it did not hold, and no sequence that no
 * column owns (a counter a trigger draws from) may have advanced. Sequences of serial and
 * identity columns advance by design and are not traces.
 */
final class NoTrace {
    private final Behaviours b;

    NoTrace(Behaviours b) {
        this.b = b;
    }

    SchemaCheck.BehaviourResult check(Table t, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        return b.sampled("no-trace", t, "rolled-back write", gen, random, b.samples, d -> probe(t, d));
    }

    private Verdict probe(Table t, Dataset d) throws SQLException {
        Map<String, String> before = state();
        String write = write(t);
        try {
            if (!b.load(d)) {
                return Verdict.skip("the dataset did not load");
            }
            b.attempt(write);
            b.c.rollback();
            Map<String, String> after = state();
            List<String> traces = new ArrayList<>();
            for (Map.Entry<String, String> e : after.entrySet()) {
                if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                    traces.add(e.getKey() + " was " + before.get(e.getKey()) + ", is " + e.getValue());
                }
            }
            if (traces.isEmpty()) {
                return Verdict.pass();
            }
            return Verdict.fail("after a rolled-back write on " + t.datasetName() + ": " + String.join("; ", traces),
                    write + ";\nROLLBACK;\n-- now compare with the state before the BEGIN:\nSELECT locktype, objid FROM pg_locks"
                            + " WHERE locktype = 'advisory' AND pid = pg_backend_pid();\nBEGIN;");
        } finally {
            b.c.rollback();
            b.exec("SELECT pg_advisory_unlock_all()");
            b.c.rollback();
        }
    }

    /** Every column set to itself in every row (update triggers fire), then one row deleted. */
    private static String write(Table t) {
        List<Column> cols = Behaviours.writable(t);
        String update = cols.isEmpty() ? "" : "UPDATE " + q(t) + " SET " + String.join(", ", cols.stream()
                .map(col -> id(col.name()) + " = " + id(col.name())).toList()) + "; ";
        return update + "DELETE FROM " + q(t) + " WHERE ctid = (SELECT ctid FROM " + q(t) + " LIMIT 1)";
    }

    /** What a rollback must restore or leave alone: row hashes, advisory locks, counter sequences. */
    private Map<String, String> state() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder();
        for (Table t : b.schema.tables()) {
            sql.append(sql.length() == 0 ? "" : " UNION ALL ").append("SELECT ").append(Behaviours.lit("table " + t.datasetName()))
                    .append(", count(*) || ' rows ' || coalesce(left(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), 12), '')")
                    .append(" FROM ").append(q(t)).append(" x");
        }
        sql.append(sql.length() == 0 ? "" : " UNION ALL ").append("SELECT 'advisory locks held by the session', count(*)::text FROM pg_locks"
                + " WHERE locktype = 'advisory' AND pid = pg_backend_pid()");
        sql.append(" UNION ALL SELECT 'sequence ' || s.schemaname || '.' || s.sequencename, coalesce(s.last_value::text, 'unused')"
                + " FROM pg_sequences s WHERE s.schemaname = ANY (ARRAY[").append(String.join(", ", b.schema.tables().stream()
                .map(Table::schema).distinct().map(Behaviours::lit).toList())).append("]::text[]) AND NOT EXISTS (SELECT 1 FROM pg_depend d"
                + " WHERE d.classid = 'pg_class'::regclass AND d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass"
                + " AND d.deptype IN ('a', 'i'))");
        for (List<String> r : b.rows(sql.toString())) {
            out.put(r.get(0), r.get(1));
        }
        return out;
    }
}
