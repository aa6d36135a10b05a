package dev.pgprop.properties.migrations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long the reference migrations take (-Pbench): all of them on an empty database, and the
 * latest one (V7, a new column with a backfill) over 100,000 existing allocations, with 1,000
 * inventory rows and 50,000 payments beside them. Three rounds each; prints the figures and writes
 * target/pgprop/bench/migrations.csv; asserts no timing.
 */
class MigrationBenchmark {
    static final int ROUNDS = 3;
    static final int ALLOCATIONS = 100_000;

    static final String DATA = """
            insert into inventory (sku, on_hand)
              select 'SKU-' || lpad(i::text, 6, '0'), 1000 from generate_series(1, 1000) i;
            insert into allocations (id, sku, quantity, status, allocated_at)
              select gen_random_uuid(), 'SKU-' || lpad((1 + i % 1000)::text, 6, '0'), 1,
                     (array['pending', 'allocated', 'shipped', 'cancelled'])[1 + i % 4],
                     timestamptz '2025-01-01' + i * interval '1 second'
                from generate_series(0, ALLOCATIONS - 1) i;
            insert into payments (id, allocation_id, owner_id, amount_cents, currency, status, idempotency_key)
              select gen_random_uuid(), id, gen_random_uuid(), 100, 'EUR', 'captured', 'pay-' || id
                from allocations where status = 'shipped' or status = 'allocated';
            analyze;
            """.replace("ALLOCATIONS", Integer.toString(ALLOCATIONS));

    @Test
    void migrationsOverAHundredThousandRows() throws Exception {
        List<Long> empty = new ArrayList<>();
        List<Long> latest = new ArrayList<>();
        long rows = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String fresh = MigrationDatabases.create("bench_empty");
            try {
                long t0 = System.nanoTime();
                MigrationDatabases.migrate(fresh, "latest");
                empty.add((System.nanoTime() - t0) / 1_000_000);
            } finally {
                MigrationDatabases.drop(fresh);
            }

            String loaded = MigrationDatabases.create("bench_loaded");
            try {
                MigrationDatabases.migrate(loaded, "6");
                try (Connection c = MigrationDatabases.connect(loaded); Statement s = c.createStatement()) {
                    s.execute(DATA);
                    rows = Long.parseLong(MigrationDatabases.rows(c, "select (select count(*) from inventory)"
                            + " + (select count(*) from allocations) + (select count(*) from payments)").get(0));
                }
                long t0 = System.nanoTime();
                int applied = MigrationDatabases.migrate(loaded, "latest").migrationsExecuted;
                latest.add((System.nanoTime() - t0) / 1_000_000);
                if (applied != 1) {
                    throw new IllegalStateException("expected V7 alone, applied " + applied);
                }
            } finally {
                MigrationDatabases.drop(loaded);
            }
        }
        String csv = "case,rows,median_ms,min_ms,max_ms\n"
                + line("V1..V7 on an empty database", 0, empty)
                + line("V7 over existing rows", rows, latest);
        System.out.print("migration benchmark (" + ROUNDS + " rounds):\n" + csv);
        Path out = Path.of("target/pgprop/bench/migrations.csv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, csv);
    }

    private static String line(String what, long rows, List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return what + "," + rows + "," + sorted.get(sorted.size() / 2) + "," + sorted.get(0) + "," + sorted.get(sorted.size() - 1)
                + "\n";
    }
}
