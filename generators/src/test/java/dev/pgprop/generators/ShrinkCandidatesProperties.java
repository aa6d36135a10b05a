package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.model.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every dataset jqwik may try while shrinking is still valid: random walks down the shrink tree
 * of drawn datasets, each candidate built (the ReferenceData constructor checks keys, parents and
 * stock) and a share of them loaded into the reference schema.
 */
class ShrinkCandidatesProperties {
    private static ReferenceDb db;

    @BeforeContainer
    static void database() {
        db = new ReferenceDb("ShrinkCandidatesProperties");
    }

    @AfterContainer
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    private static int walk(DatasetSpec spec, long seed, int walks, List<ReferenceData> toLoad) {
        Random random = new Random(seed);
        var generator = ReferenceArbitraries.referenceData(spec).generator(1000, true);
        int checked = 0;
        for (int w = 0; w < walks; w++) {
            Shrinkable<ReferenceData> current = generator.next(random);
            for (int depth = 0; depth < 30; depth++) {
                List<Shrinkable<ReferenceData>> smaller = new ArrayList<>();
                for (Shrinkable<ReferenceData> c : current.shrink().limit(20).toList()) {
                    ReferenceData value = c.value();   // throws if a key, parent or stock rule broke
                    checked++;
                    if (checked % 50 == 0) {
                        toLoad.add(value);
                    }
                    if (c.distance().compareTo(current.distance()) < 0) {
                        smaller.add(c);
                    }
                }
                if (smaller.isEmpty()) {
                    break;
                }
                current = smaller.get(random.nextInt(smaller.size()));
            }
        }
        return checked;
    }

    @Example
    void everyShrinkCandidateOfADatasetIsValidAndLoads() {
        List<ReferenceData> toLoad = new ArrayList<>();
        int checked = walk(DatasetSpec.defaults(), 6001, 8, toLoad)
                + walk(DatasetSpec.contended(), 6002, 3, toLoad)
                + walk(DatasetSpec.defaults().withSku("SKU-000007").withInventory(1, 1), 6003, 3, toLoad);
        assertThat(checked).isGreaterThan(2_000);
        long start = System.nanoTime();
        for (ReferenceData data : toLoad) {
            db.inRollback(c -> {
                ReferenceDb.load(c, ReferenceSchema.dataset(data));
                assertThat(ReferenceDb.count(c, "select count(*) from inventory where allocated > on_hand")).isZero();
            });
        }
        System.out.println("shrink candidates checked: " + checked + ", loaded: " + toLoad.size() + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
}
