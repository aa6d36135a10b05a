package dev.pgprop.generators;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.generators.internal.DatasetArbitraries;
import dev.pgprop.generators.internal.ReferenceViolations;
import dev.pgprop.generators.internal.RowArbitraries;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.ReferenceData;
import dev.pgprop.generators.model.VectorRow;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitrary;
import org.apiguardian.api.API;

/**
 * jqwik arbitraries for the reference schema (inventory, allocations, payments, vectors), as
 * {@code Arbitraries} is for plain values. Generic vectors are in {@link
 * dev.pgprop.generators.VectorArbitraries}.
 *
 * <ul>
 *   <li>Rows: {@link #inventoryItems()}, {@link #allocations()}, {@link #payments()}: each honours
 *       every constraint that concerns one row; keys and parents across rows are the datasets' job.
 *   <li>Datasets: {@link #datasets(DatasetSpec)} (as the DSL's {@link Dataset}) and {@link
 *       #referenceData(DatasetSpec)} (as records): inventory, allocations and payments that
 *       satisfy every constraint, before and after any shrinking.
 *   <li>Rows of the {@code vectors} table: {@link #vectorRows(VectorSpec)}, {@link
 *       #vectorDatasets(VectorSpec)}.
 *   <li>Invalid rows: {@link #invalidRows(int)}, one entry per constraint.
 * </ul>
 *
 * <pre>{@code
 * @Provide
 * Arbitrary<Dataset> storms() {
 *     return ReferenceArbitraries.datasets(DatasetSpec.contended());
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ReferenceArbitraries {
    private ReferenceArbitraries() {}

    /** Inventory rows: any SKU of the format, stock 0 to {@code Integer.MAX_VALUE}. */
    public static Arbitrary<InventoryItem> inventoryItems() {
        return RowArbitraries.inventoryItems();
    }

    /**
     * Allocation rows: quantity 1 to 1000, every status, a time in 2025. Their SKU must exist in
     * inventory with enough stock for the row to load.
     */
    public static Arbitrary<Allocation> allocations() {
        return RowArbitraries.allocations();
    }

    /**
     * Payment rows: a positive amount, a currency of {@link DatasetSpec#CURRENCIES}, every status,
     * any printable idempotency key. Their allocation must exist for the row to load.
     */
    public static Arbitrary<Payment> payments() {
        return RowArbitraries.payments();
    }

    /** Datasets of {@link DatasetSpec#defaults()}. */
    public static Arbitrary<Dataset> datasets() {
        return datasets(DatasetSpec.defaults());
    }

    /**
     * Datasets of the tables {@code inventory}, {@code allocations} and {@code payments} (always
     * present, in that order, possibly empty). Shrinking moves towards fewer items, allocations and
     * payments and simpler values, and every shrunk dataset still satisfies every constraint.
     */
    public static Arbitrary<Dataset> datasets(DatasetSpec spec) {
        return referenceData(spec).map(ReferenceSchema::dataset);
    }

    /** Datasets of {@link DatasetSpec#defaults()}, as records. */
    public static Arbitrary<ReferenceData> referenceData() {
        return referenceData(DatasetSpec.defaults());
    }

    /** What {@link #datasets(DatasetSpec)} draws, as records; {@link ReferenceSchema#dataset} converts. */
    public static Arbitrary<ReferenceData> referenceData(DatasetSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return DatasetArbitraries.referenceData(spec);
    }

    /**
     * Rows of {@code vectors} for a set: ids {@code vec-000001}, {@code vec-000002}, ... by position
     * (unique however the set shrinks), and metadata {@code {"category": "a".."d", "rank": 0..999}}.
     */
    public static Arbitrary<List<VectorRow>> vectorRows(VectorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return dev.pgprop.generators.internal.VectorArbitraries.rows(spec);
    }

    /** {@link #vectorRows(VectorSpec)} as a dataset of the table {@code vectors}. */
    public static Arbitrary<Dataset> vectorDatasets(VectorSpec spec) {
        return vectorRows(spec).map(ReferenceSchema::vectorDataset);
    }

    /**
     * The invalid-row catalogue of the reference schema, its vectors of {@code embeddingDimension}
     * (the schema's {@code embedding_dim} placeholder).
     */
    public static InvalidRowCatalogue invalidRows(int embeddingDimension) {
        if (embeddingDimension < 1 || embeddingDimension > VectorSpec.MAX_DIMENSION) {
            throw new IllegalArgumentException("embedding dimension " + embeddingDimension + " is outside 1.."
                    + VectorSpec.MAX_DIMENSION + "; pass the schema's embedding_dim");
        }
        return ReferenceViolations.catalogue(embeddingDimension);
    }
}
