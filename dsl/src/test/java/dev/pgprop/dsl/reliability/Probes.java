package dev.pgprop.dsl.reliability;

import static dev.pgprop.dsl.Invariants.constraintsHold;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Property classes that child JVMs run (see {@link ChildMain}): they pass on a sound setup. */
public final class Probes {
    private Probes() {}

    static Arbitrary<Dataset> widgets() {
        return Arbitraries.integers().between(1, 50).list().uniqueElements().ofMinSize(1).ofMaxSize(5)
                .map(ids -> Dataset.of("widget", ids.stream().map(id -> Row.of("id", id, "label", "w" + id)).toList()));
    }

    /** Two properties with datasets: a setup that is wrong must blame neither dataset. */
    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    public static class WithData {
        @Provide
        Arbitrary<Dataset> rows() {
            return widgets();
        }

        @Property(tries = 20)
        void first(@ForAll("rows") Dataset data, Db db) {
            db.given(data).then(constraintsHold());
        }

        @Property(tries = 20)
        void second(@ForAll("rows") Dataset data, Db db) {
            db.given(data).then(constraintsHold());
        }
    }

    /** The same two properties on migrations that ask for a pgvector version no server offers. */
    @PgProperties(migrations = "classpath:pgprop-test/pgvector-too-new")
    public static class NeedsAnotherPgvector extends WithData {}

    /**
     * Fills the disk of its server in every try: an unlogged table grown until no block is left (the
     * series in the select list streams; in FROM it would spill to a temporary file, freed at the error).
     */
    @PgProperties(migrations = "classpath:pgprop-test/diskfill")
    public static class FillsTheDisk {
        @Property(tries = 3)
        void fills(@ForAll @IntRange(min = 1, max = 3) int n, Db db) {
            db.given(Dataset.empty()).whenCommitted(tx -> tx.execute("insert into filler select g, g, g, g from (select generate_series(1, "
                    + n + " * 100000000::bigint) as g) s")).then(constraintsHold());
        }
    }

    /** Kills its own server's postmaster with SIGKILL in its third try. */
    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    public static class KillsThePostmaster {
        static int tries;

        @Provide
        Arbitrary<Dataset> rows() {
            return widgets();
        }

        @Property(tries = 20)
        void killed(@ForAll("rows") Dataset data, Db db) throws Exception {
            if (++tries == 3) {
                String dir = (String) db.rows("select current_setting('data_directory') as d").get(0).get("d");
                System.out.println("CHILD DATABASE " + db.rows("select current_database() as d").get(0).get("d"));
                long pid = Long.parseLong(Files.readAllLines(Path.of(dir, "postmaster.pid")).get(0).trim());
                System.out.println("CHILD POSTMASTER " + pid + " " + dir);
                new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor();
                ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            }
            db.given(data).then(constraintsHold());
        }
    }

    /** A class that runs after the server died: it fails at once with the same fault. */
    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    public static class AfterTheKill {
        @Property(tries = 5)
        void later(@ForAll("rows") Dataset data, Db db) {
            db.given(data).then(constraintsHold());
        }

        @Provide
        Arbitrary<Dataset> rows() {
            return widgets();
        }

        static List<String> names() {
            return List.of(KillsThePostmaster.class.getName(), AfterTheKill.class.getName());
        }
    }
}
