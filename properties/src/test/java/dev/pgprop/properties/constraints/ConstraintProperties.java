package dev.pgprop.properties.constraints;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.noTrace;
import static dev.pgprop.dsl.Invariants.rejectedWith;
import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.InvalidRow;
import dev.pgprop.generators.InvalidRowCatalogue;
import dev.pgprop.generators.ReferenceArbitraries;
import dev.pgprop.generators.ReferenceSchema;
import dev.pgprop.generators.ViolationCase;
import dev.pgprop.properties.SuiteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The constraints of the reference schema: every entry of the generators' invalid-row catalogue
 * is refused with its SQLSTATE and constraint, valid rows are always accepted, and a batch with
 * one bad row leaves nothing behind. The meta-tests run {@link
 * #allocationQuantityOutsideOneToThousandIsRefused} against a range widened to allow 0.
 */
@PgProperties
public class ConstraintProperties {
    static final InvalidRowCatalogue CATALOGUE = ReferenceArbitraries.invalidRows(SuiteConfig.embeddingDim());

    /** One catalogue entry and one of its offending rows. */
    public record Offence(ViolationCase entry, InvalidRow row) {
        @Override
        public String toString() {
            return entry.name() + ": " + row.toSql().strip();
        }
    }

    @Provide
    Arbitrary<Offence> offences() {
        return Arbitraries.of(CATALOGUE.entries()).flatMap(e -> e.rows().map(r -> new Offence(e, r)));
    }

    /** The error of the actions' first failed step is this SQLSTATE and names this constraint (or column). */
    static Invariant refusedAs(ViolationCase entry) {
        return invariant("refused as " + entry.name(), ctx -> {
            Optional<PgError> error = ctx.outcome().failures().stream().findFirst().flatMap(r -> r.error());
            assertThat(error).as("the offending row was refused").isPresent();
            assertThat(error.get().sqlState()).isEqualTo(entry.sqlState());
            if (entry.column() != null) {
                assertThat(error.get().column()).isEqualTo(entry.column());
                assertThat(error.get().table()).isEqualTo(entry.table());
            } else {
                assertThat(error.get().constraint()).isEqualTo(entry.raisedConstraint().orElseThrow());
            }
        });
    }

    /**
     * Any entry of the invalid-row catalogue: the offending row is refused with the entry's
     * SQLSTATE and constraint, and leaves no trace. (Entries are drawn at random, about three
     * tries each; the generators' own tests go through every entry.)
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void everyInvalidRowIsRefusedWithItsSqlstateAndConstraint(@ForAll("offences") Offence o, Db db) {
        db.given(o.row().setup())
                .whenCommitted(tx -> tx.insertAll(o.row().table(), List.of(o.row().row())))
                .then(rejectedWith(o.entry().sqlState()), refusedAs(o.entry()), noTrace(), constraintsHold());
    }

    @Provide
    Arbitrary<Dataset> anyData() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults());
    }

    /** Any valid dataset, written with bulk inserts table by table, is accepted whole. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void validRowsAreAlwaysAccepted(@ForAll("anyData") Dataset data, Db db) {
        db.scenario()
                .whenCommitted(tx -> {
                    for (String table : ReferenceSchema.TABLES) {
                        if (data.tables().contains(table)) {
                            assertThat(tx.insertAll(table, data.rows(table))).isEqualTo(data.rowCount(table));
                        }
                    }
                })
                .then(scalar("select (select count(*) from inventory) + (select count(*) from allocations)"
                        + " + (select count(*) from payments)").isEqualTo((long) data.rowCount()), constraintsHold());
    }

    /** Valid inventory rows whose SKUs are far from the generators' (SKU-9xxxxx), and a place for the bad row. */
    record Batch(Offence bad, List<Row> good, int position) {
        @Override
        public String toString() {
            return good.size() + " good inventory rows, the bad row at " + position + ": " + bad;
        }
    }

    @Provide
    Arbitrary<Batch> batches() {
        return offences().flatMap(o -> Combinators.combine(
                        Arbitraries.integers().between(900_000, 999_998).set().ofMaxSize(8),
                        Arbitraries.integers().between(0, 1000))
                .as((skus, onHand) -> {
                    List<Row> good = new ArrayList<>();
                    for (int n : skus) {
                        String sku = String.format("SKU-%06d", n);
                        if (!o.row().row().values().containsValue(sku)) {
                            good.add(Row.of("sku", sku, "on_hand", onHand));
                        }
                    }
                    return good;
                })
                .flatMap(good -> Arbitraries.integers().between(0, good.size()).map(pos -> new Batch(o, good, pos))));
    }

    /** A transaction of valid inserts and one bad row, anywhere in it, leaves no row of the batch behind. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void aBatchWithOneBadRowLeavesNoRowBehind(@ForAll("batches") Batch b, Db db) {
        InvalidRow bad = b.bad().row();
        db.given(bad.setup())
                .whenCommitted(tx -> {
                    for (int i = 0; i <= b.good().size(); i++) {
                        if (i == b.position()) {
                            tx.insertAll(bad.table(), List.of(bad.row()));
                        }
                        if (i < b.good().size()) {
                            tx.insertAll("inventory", List.of(b.good().get(i)));
                        }
                    }
                })
                .then(rejectedWith(b.bad().entry().sqlState()), refusedAs(b.bad().entry()), noTrace(),
                        scalar("select count(*) from inventory where sku like 'SKU-9%' and sku not in (select sku from ("
                                + setupSkus(bad.setup()) + ") s)").isEqualTo(0L),
                        constraintsHold());
    }

    private static String setupSkus(Dataset setup) {
        StringBuilder b = new StringBuilder("select null::text as sku");
        if (setup.tables().contains("inventory")) {
            for (Row r : setup.rows("inventory")) {
                b.append(" union all select '").append(r.get("sku")).append("'");
            }
        }
        return b.toString();
    }

    @Provide
    Arbitrary<Dataset> stock() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(1, 4));
    }

    @Provide
    Arbitrary<Integer> quantitiesOutOfRange() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(-1000, -1),
                Arbitraries.integers().between(1001, 1_000_000));
    }

    /**
     * An allocation quantity outside 1..1000 is refused by allocations_quantity_range, whatever
     * the dataset. The allocation is cancelled, so it holds no stock and no other check is in play.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void allocationQuantityOutsideOneToThousandIsRefused(@ForAll("stock") Dataset data,
            @ForAll("quantitiesOutOfRange") int quantity, Db db) {
        String sku = (String) data.rows("inventory").get(0).get("sku");
        db.given(data)
                .whenCommitted(tx -> tx.execute("insert into allocations (id, sku, quantity, status)"
                        + " values (gen_random_uuid(), ?, ?, 'cancelled')", sku, quantity))
                .then(rejectedWith("23514").named("a quantity outside 1..1000 is refused"), noTrace(), constraintsHold());
    }
}
