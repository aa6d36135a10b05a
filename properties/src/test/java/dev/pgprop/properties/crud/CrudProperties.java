package dev.pgprop.properties.crud;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.noRows;
import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.CheckContext;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import dev.pgprop.generators.VectorSpec;
import dev.pgprop.properties.SuiteConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Create, read, update, delete on every table of the reference schema: what is written reads back
 * equal, updates read back as updated, deletes leave nothing, and bulk writes change exactly the
 * rows they are given.
 */
@PgProperties
public class CrudProperties {
    private static final Map<String, String> KEYS = Map.of("inventory", "sku", "allocations", "id", "payments", "id",
            "vectors", "id");

    /** The reference tables with timestamps moved by up to a second in microseconds, and a few vectors. */
    @Provide
    Arbitrary<Dataset> everyTable() {
        return Combinators.combine(ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(0, 4)),
                        ReferenceArbitraries.vectorDatasets(VectorSpec.of(SuiteConfig.embeddingDim()).withCount(0, 4)),
                        Arbitraries.longs().between(0, 999_999))
                .as((data, vectors, micros) -> withMicros(data, micros).plus(vectors));
    }

    static Dataset withMicros(Dataset data, long micros) {
        Dataset out = Dataset.empty();
        for (String table : data.tables()) {
            List<Row> rows = new ArrayList<>();
            for (Row r : data.rows(table)) {
                Row moved = r;
                for (String c : r.columns()) {
                    if (r.get(c) instanceof Instant at) {
                        moved = moved.with(c, at.plusNanos(micros * 1000));
                    }
                }
                rows.add(moved);
            }
            out = out.with(table, rows);
        }
        return out;
    }

    /**
     * Every valid row of every table reads back equal: timestamps to the microsecond, jsonb metadata
     * as the same JSON value, vectors within float4 precision, everything else exactly.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void everyValidRowReadsBackEqual(@ForAll("everyTable") Dataset data, Db db) {
        db.given(data).then(invariant("every row reads back equal", ctx -> {
            for (String table : data.tables()) {
                String key = KEYS.get(table);
                for (Row expected : data.rows(table)) {
                    List<Row> read = ctx.rows("select * from " + table + " where " + key + " = ?", expected.get(key));
                    assertThat(read).as(table + " " + expected.get(key)).hasSize(1);
                    Row actual = read.get(0);
                    for (String c : expected.columns()) {
                        assertEqualValue(ctx, table, expected, c, actual.get(c));
                    }
                }
            }
        }), constraintsHold());
    }

    private static void assertEqualValue(CheckContext ctx, String table, Row expected, String column, Object actual) {
        Object e = expected.get(column);
        String what = table + "." + column + " of " + expected.get(KEYS.get(table));
        if (e instanceof Instant at) {
            assertThat(((OffsetDateTime) actual).toInstant()).as(what).isEqualTo(at);
        } else if (e instanceof float[] f) {
            float[] a = (float[]) actual;
            assertThat(a).as(what).hasSameSizeAs(f);
            for (int i = 0; i < f.length; i++) {
                assertThat(Math.abs(a[i] - f[i])).as(what + "[" + i + "]").isLessThanOrEqualTo(Math.ulp(f[i]));
            }
        } else if (e instanceof Map<?, ?> || e instanceof Collection<?>) {
            assertThat(ctx.scalar("select " + column + " = cast(? as jsonb) from " + table + " where id = ?", json(e),
                    expected.get(KEYS.get(table)))).as(what + " = " + json(e) + ", read " + actual).isEqualTo(true);
        } else {
            assertThat(actual).as(what).isEqualTo(e);
        }
    }

    /** A JSON text of maps, lists, strings, numbers, booleans and nulls. */
    static String json(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(json(k.toString()) + ":" + json(x)));
            return "{" + String.join(",", parts) + "}";
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(json(x)));
            return "[" + String.join(",", parts) + "]";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        StringBuilder b = new StringBuilder("\"");
        for (char ch : v.toString().toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }

    @Provide
    Arbitrary<Dataset> twoOrMoreItems() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(2, 5));
    }

    /**
     * An update reads back as updated and a delete leaves nothing: the first SKU gets more stock and
     * its payments are refunded; the last SKU, its allocations and their payments are deleted; every
     * other row is as it was.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void anUpdateReadsBackAsUpdatedAndADeleteLeavesNothing(@ForAll("twoOrMoreItems") Dataset data,
            @ForAll @IntRange(min = 0, max = 100_000) int extra, Db db) {
        List<Row> items = data.rows("inventory");
        Row first = items.get(0);
        String kept = (String) first.get("sku");
        String gone = (String) items.get(items.size() - 1).get("sku");
        long paymentsOfGone = data.rows("payments").stream().filter(p -> allocationSku(data, (UUID) p.get("allocation_id"))
                .equals(gone)).count();
        long allocationsOfGone = data.rows("allocations").stream().filter(a -> gone.equals(a.get("sku"))).count();
        db.given(data)
                .whenCommitted(tx -> {
                    assertThat(tx.execute("update inventory set on_hand = on_hand + ? where sku = ?", extra, kept)).isEqualTo(1);
                    tx.execute("update payments set status = 'refunded' where allocation_id in"
                            + " (select id from allocations where sku = ?)", kept);
                })
                .whenCommitted(tx -> {
                    assertThat(tx.execute("delete from payments where allocation_id in (select id from allocations where sku = ?)",
                            gone)).isEqualTo((int) paymentsOfGone);
                    assertThat(tx.execute("delete from allocations where sku = ?", gone)).isEqualTo((int) allocationsOfGone);
                    assertThat(tx.execute("delete from inventory where sku = ?", gone)).isEqualTo(1);
                })
                .then(scalar("select on_hand from inventory where sku = '" + kept + "'")
                                .isEqualTo((Integer) first.get("on_hand") + extra),
                        noRows("select * from payments p join allocations a on a.id = p.allocation_id"
                                + " where a.sku = '" + kept + "' and p.status <> 'refunded'"),
                        noRows("select sku from inventory where sku = '" + gone + "'"),
                        noRows("select id from allocations where sku = '" + gone + "'"),
                        scalar("select count(*) from inventory").isEqualTo((long) items.size() - 1),
                        scalar("select count(*) from allocations").isEqualTo(data.rowCount("allocations") - allocationsOfGone),
                        scalar("select count(*) from payments").isEqualTo(data.rowCount("payments") - paymentsOfGone),
                        constraintsHold());
    }

    private static String allocationSku(Dataset data, UUID allocation) {
        return data.rows("allocations").stream().filter(a -> allocation.equals(a.get("id"))).map(a -> (String) a.get("sku"))
                .findFirst().orElseThrow();
    }

    @Provide
    Arbitrary<Dataset> anyData() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults());
    }

    /**
     * A bulk insert of N rows inserts exactly N; a bulk update keyed on id (payments) or on sku
     * (inventory) updates exactly the rows whose keys exist, and they read back updated.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void bulkInsertAndBulkUpdateChangeExactlyNRows(@ForAll("anyData") Dataset data, @ForAll @IntRange(min = 0, max = 3) int missing,
            Db db) {
        List<Row> refunds = new ArrayList<>();
        data.rows("payments").forEach(p -> refunds.add(Row.of("id", p.get("id"), "status", "refunded")));
        for (int i = 0; i < missing; i++) {
            refunds.add(Row.of("id", new UUID(0xF000_0000_0000_0000L, i), "status", "refunded"));
        }
        List<Row> restock = new ArrayList<>();
        List<Row> items = data.rows("inventory");
        for (int i = 0; i < items.size(); i += 2) {
            restock.add(Row.of("sku", items.get(i).get("sku"), "on_hand", (Integer) items.get(i).get("on_hand") + 1));
        }
        int[] counts = new int[5];
        db.scenario()
                .whenCommitted(tx -> {
                    counts[0] = tx.insertAll("inventory", data.rows("inventory"));
                    counts[1] = tx.insertAll("allocations", data.rows("allocations"));
                    counts[2] = tx.insertAll("payments", data.rows("payments"));
                    counts[3] = tx.updateAll("payments", "id", refunds);
                    counts[4] = tx.updateAll("inventory", "sku", restock);
                })
                .then(invariant("bulk writes change exactly the rows given", ctx -> {
                    assertThat(counts).containsExactly(data.rowCount("inventory"), data.rowCount("allocations"),
                            data.rowCount("payments"), data.rowCount("payments"), restock.size());
                    assertThat(ctx.scalar("select count(*) from payments where status <> 'refunded'")).isEqualTo(0L);
                    assertThat(ctx.scalar("select coalesce(sum(on_hand), 0) from inventory")).isEqualTo(
                            (long) items.stream().mapToInt(r -> (Integer) r.get("on_hand")).sum() + restock.size());
                }), constraintsHold());
    }
}
