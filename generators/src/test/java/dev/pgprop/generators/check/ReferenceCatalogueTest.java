package dev.pgprop.generators.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.InvalidRowCatalogue;
import dev.pgprop.generators.ReferenceArbitraries;
import dev.pgprop.generators.VectorSpec;
import dev.pgprop.generators.ViolationCase;
import dev.pgprop.migrations.Migrations;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reference schema's hand-written catalogue is a special case of the catalogue read from any
 * schema: every hand-written entry has a generic entry of the same name, kind, table and SQLSTATE,
 * and the generic entry's violations, drawn from the reference schema's own valid datasets, are
 * refused naming the constraint the hand-written entry expects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceCatalogueTest {
    static final int DIM = 8;
    static final int SAMPLES = 3;
    private static final InvalidRowCatalogue HAND = ReferenceArbitraries.invalidRows(DIM);

    private TestDatabase db;
    private Connection c;
    private ConstraintCatalogue generic;

    @BeforeAll
    void database() {
        db = PgProp.server().createDatabase(MigrationSet.of(Migrations.LOCATION).withPlaceholders(Migrations.placeholders(DIM)),
                "ReferenceCatalogueTest");
        c = db.openConnection();
        generic = ConstraintCatalogue.of(Schema.read(c));
    }

    @AfterAll
    void drop() throws Exception {
        c.close();
        db.close();
    }

    static Arbitrary<Dataset> valid() {
        Arbitrary<Dataset> reference = ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(2, 4)
                .withAllocationsPerItem(1, 2).withPaymentsPerAllocation(1, 2));
        Arbitrary<Dataset> vectors = ReferenceArbitraries.vectorDatasets(VectorSpec.of(DIM).withCount(2, 4));
        return reference.flatMap(r -> vectors.map(r::plus));
    }

    @Test
    void everyHandWrittenEntryHasAGenericEntryOfTheSameNameKindTableAndSqlState() {
        List<String> problems = new ArrayList<>();
        for (ViolationCase h : HAND.entries()) {
            try {
                CatalogueEntry g = generic.entry(h.name());
                if (g.kind() != h.kind() || !g.table().equals(h.table()) || !g.sqlState().equals(h.sqlState())) {
                    problems.add(h.name() + ": hand " + h.kind() + "/" + h.table() + "/" + h.sqlState() + ", generic " + g);
                }
            } catch (IllegalArgumentException e) {
                problems.add(h.name() + ": no generic entry");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(generic.size()).isGreaterThanOrEqualTo(HAND.size());
    }

    @Test
    void genericViolationsAreRefusedAsTheHandWrittenEntriesExpect() throws Exception {
        JqwikSession.start();
        try {
            drawAndRefuse();
        } finally {
            JqwikSession.finish();
        }
    }

    private void drawAndRefuse() throws Exception {
        RandomGenerator<Dataset> gen = valid().generator(100, true);
        Random random = new Random(42);
        List<String> problems = new ArrayList<>();
        int refused = 0;
        for (ViolationCase h : HAND.entries()) {
            CatalogueEntry g = generic.entry(h.name());
            int found = 0;
            for (int attempt = 0; attempt < 40 && found < SAMPLES; attempt++) {
                Optional<SchemaViolation> v = generic.violate(g, gen.next(random).value(), c);
                if (v.isEmpty()) {
                    continue;
                }
                found++;
                SchemaViolation sv = v.get();
                String expected = h.sqlState() + " " + h.raisedConstraint().orElse(null);
                String drawn = sv.sqlState() + " " + sv.raisedConstraint();
                if (!expected.equals(drawn)) {
                    problems.add(h.name() + ": hand-written expects " + expected + ", generic expects " + drawn + " (" + sv.note() + ")");
                }
                Refusal r = Refusal.of(c, sv.invalid());
                if (r == null || !r.matches(sv)) {
                    problems.add(h.name() + ": expected " + sv.expected() + ", got " + (r == null ? "accepted" : r) + "\n" + sv.toSql());
                } else {
                    refused++;
                }
            }
            if (found == 0) {
                problems.add(h.name() + ": no violation drawn in 40 datasets");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(refused).isGreaterThanOrEqualTo(HAND.size());
    }
}
