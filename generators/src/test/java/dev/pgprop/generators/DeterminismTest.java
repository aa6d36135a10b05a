package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.generators.model.VectorRow;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixed seed draws the same datasets and vectors, byte for byte, in separate JVMs: {@link
 * Sampler} runs the samplers through the jqwik engine and writes what they drew; the test runs it
 * in two new JVMs and in this one and compares the output.
 */
class DeterminismTest {
    static final StringBuilder OUT = new StringBuilder();

    /** Properties that print what they draw; run through the engine only. */
    static class Seed42 {
        @Property(seed = "42", tries = 25)
        void datasets(@ForAll("datasets") Dataset data) {
            OUT.append("-- dataset\n").append(data.toSql());
        }

        @Property(seed = "42", tries = 10)
        void vectors(@ForAll("vectors") List<VectorRow> rows) throws Exception {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ReferenceSchema.vectorDataset(rows).toSql().getBytes(StandardCharsets.UTF_8));
            OUT.append("-- vectors ").append(rows.size()).append(' ').append(HexFormat.of().formatHex(md.digest())).append('\n');
        }

        @Provide
        Arbitrary<Dataset> datasets() {
            return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(0, 4));
        }

        @Provide
        Arbitrary<List<VectorRow>> vectors() {
            return ReferenceArbitraries.vectorRows(VectorSpec.of(64).withCount(0, 20)
                    .withDistribution(VectorDistribution.clustered(3, 0.1)).withDuplicates(0.1).withNearDuplicates(0.1)
                    .withEdgeCases(0.1));
        }
    }

    /** The same, seed 43. */
    static class Seed43 extends Seed42 {
        @Override
        @Property(seed = "43", tries = 25)
        void datasets(@ForAll("datasets") Dataset data) {
            OUT.append("-- dataset\n").append(data.toSql());
        }
    }

    static String sample(Class<?> type, Path database) {
        OUT.setLength(0);
        for (String method : List.of("datasets", "vectors")) {
            EngineRun run = EngineRun.property(type, method, database);
            if (!run.failures().isEmpty()) {
                throw new IllegalStateException("sampler " + method + " failed", run.failures().get(0));
            }
        }
        return OUT.toString();
    }

    /** Writes what seed 42 draws to the file named by the first argument (stdout carries log lines). */
    public static final class Sampler {
        public static void main(String[] args) throws Exception {
            Path out = Path.of(args[0]);
            Files.writeString(out, sample(Seed42.class, out.resolveSibling(out.getFileName() + ".jqwik-database")));
        }
    }

    private static String runInNewJvm(Path dir, String name) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dpgprop.earlyStart=false", Sampler.class.getName(), out.toString())
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectError(err.toFile())
                .directory(new File(System.getProperty("user.dir")))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the sampler JVM did not finish in 120 s");
        }
        assertThat(p.exitValue()).as("sampler exit; stderr: %s", Files.readString(err)).isZero();
        return Files.readString(out);
    }

    @Test
    void theSameSeedDrawsTheSameDataInSeparateJvms(@TempDir Path dir) throws Exception {
        String first = runInNewJvm(dir, "first");
        String second = runInNewJvm(dir, "second");
        String here = sample(Seed42.class, dir.resolve("here-db"));
        String otherSeed = sample(Seed43.class, dir.resolve("other-db"));

        assertThat(first).contains("INSERT INTO allocations").contains("INSERT INTO payments").contains("-- vectors ");
        assertThat(first.lines().filter(l -> l.startsWith("-- dataset")).count()).isEqualTo(25);
        assertThat(first.lines().count()).isGreaterThan(200);
        assertThat(second).isEqualTo(first);
        assertThat(here).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }
}
