package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.PaymentStatus;
import org.junit.jupiter.api.Test;

/** Specs are immutable and check their arguments with messages that say what to do. */
class SpecTest {
    @Test
    void datasetSpecsAreImmutable() {
        DatasetSpec base = DatasetSpec.defaults();
        DatasetSpec big = base.withInventory(10, 20);
        assertThat(base.minInventory()).isZero();
        assertThat(base.maxInventory()).isEqualTo(8);
        assertThat(big.minInventory()).isEqualTo(10);
        assertThat(big).isNotEqualTo(base).isEqualTo(DatasetSpec.defaults().withInventory(10, 20));
        DatasetSpec pinned = base.withSku("SKU-000042").withAllocationStatus(AllocationStatus.SHIPPED)
                .withPaymentStatus(PaymentStatus.FAILED).withCurrency("SEK");
        assertThat(pinned.minInventory()).isOne();
        assertThat(pinned.maxInventory()).isOne();
        assertThat(pinned.sku()).hasValue("SKU-000042");
        assertThat(base.sku()).isEmpty();
        assertThat(pinned.withoutPins()).isEqualTo(base);
        assertThat(pinned.toString()).contains("sku SKU-000042", "SHIPPED", "FAILED", "SEK");
        assertThat(DatasetSpec.contended().maxSlack()).isEqualTo(2);
        assertThat(DatasetSpec.contended().contention()).isEqualTo(1.0);
        assertThat(base.withInventory(3, 3).withAllocationsPerItem(2, 2).withPaymentsPerAllocation(1, 1).maxRows())
                .isEqualTo(3 + 6 + 6);
    }

    @Test
    void datasetSpecsRejectBadArguments() {
        DatasetSpec s = DatasetSpec.defaults();
        assertThatThrownBy(() -> s.withInventory(5, 2)).hasMessageContaining("inventory size 5..2 is not a range");
        assertThatThrownBy(() -> s.withInventory(0, 1_000_000)).hasMessageContaining("0..999999");
        assertThatThrownBy(() -> s.withAllocationsPerItem(-1, 2)).hasMessageContaining("allocations per item");
        assertThatThrownBy(() -> s.withPaymentsPerAllocation(0, 10_001)).hasMessageContaining("payments per allocation");
        assertThatThrownBy(() -> s.withMaxSlack(-1)).hasMessageContaining("slack");
        assertThatThrownBy(() -> s.withContention(1.5)).hasMessageContaining("not a probability");
        assertThatThrownBy(() -> s.withContention(Double.NaN)).hasMessageContaining("not a probability");
        assertThatThrownBy(() -> s.withOwners(0)).hasMessageContaining("at least one owner");
        assertThatThrownBy(() -> s.withSku("SKU-42")).hasMessageContaining("SKU- and six digits");
        assertThatThrownBy(() -> s.withCurrency("eur")).hasMessageContaining("^[A-Z]{3}$");
    }

    @Test
    void vectorSpecsAreImmutable() {
        VectorSpec base = VectorSpec.of(8);
        VectorSpec other = base.withDistribution(VectorDistribution.clustered(4, 0.1)).withNormalized(true).withCount(5, 9)
                .withDuplicates(0.1).withNearDuplicates(0.2).withNearDistance(0.05)
                .withEdgeCases(0.05, VectorEdgeCase.ZERO).withDimension(16);
        assertThat(base).isEqualTo(VectorSpec.of(8));
        assertThat(base.distribution()).isEqualTo(VectorDistribution.uniform());
        assertThat(base.isNormalized()).isFalse();
        assertThat(base.edgeCaseShare()).isZero();
        assertThat(other.dimension()).isEqualTo(16);
        assertThat(other.distribution()).isEqualTo(new VectorDistribution.Clustered(4, 0.1));
        assertThat(other.edgeCases()).containsExactly(VectorEdgeCase.ZERO);
        assertThat(base.withEdgeCases(0.1).edgeCases()).containsExactly(VectorEdgeCase.values());
        assertThat(other.minCount()).isEqualTo(5);
        assertThat(other.nearDistance()).isEqualTo(0.05);
    }

    @Test
    void vectorSpecsRejectBadArguments() {
        VectorSpec s = VectorSpec.of(8);
        assertThatThrownBy(() -> VectorSpec.of(0)).hasMessageContaining("dimension 0 is outside 1..16000");
        assertThatThrownBy(() -> s.withCount(3, 1)).hasMessageContaining("vector count 3..1");
        assertThatThrownBy(() -> s.withDuplicates(-0.1)).hasMessageContaining("duplicate share");
        assertThatThrownBy(() -> s.withNearDistance(0)).hasMessageContaining("near distance 0.0 is outside (0, 1]");
        assertThatThrownBy(() -> s.withDuplicates(0.6).withNearDuplicates(0.6)).hasMessageContaining("add up to more than 1");
        assertThatThrownBy(() -> VectorDistribution.clustered(0, 0.1)).hasMessageContaining("give 1 to 10000 centres");
        assertThatThrownBy(() -> VectorDistribution.clustered(2, -1)).hasMessageContaining("spread");
        assertThatThrownBy(() -> VectorArbitraries.invalidVectors(0)).hasMessageContaining("dimension 0");
        assertThatThrownBy(() -> ReferenceArbitraries.invalidRows(0)).hasMessageContaining("embedding_dim");
        assertThatThrownBy(() -> VectorArbitraries.vectorWorkloads(s, 2, 1, QueryPlacement.NEAR)).hasMessageContaining("query count");
        assertThatThrownBy(() -> VectorArbitraries.queries(java.util.List.of(new float[3]), s, QueryPlacement.NEAR))
                .hasMessageContaining("has 3 dimensions, the spec 8");
    }
}
