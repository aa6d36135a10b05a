package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.internal.WholeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local cluster's folder on a small tmpfs (mounted here: the tests run as root; a machine where
 * the mount fails fails this test, it is not skipped). Too little room is a configuration error
 * found before initdb, and nothing is written to that disk; a disk that fills mid-property is a
 * named fault, and what pgprop writes is whole or absent.
 */
class DiskTest {
    private static Path mount(int megabytes) throws Exception {
        Path dir = Files.createTempDirectory("pgprop-tmpfs");
        Child.Result r = Child.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=1777", "tmpfs",
                dir.toString()), Map.of(), dir.getParent(), 30);
        assertThat(r.exitCode()).as("mounting a tmpfs (the tests run as root): " + r.output()).isZero();
        return dir;
    }

    private static void unmount(Path dir) throws Exception {
        Child.Result r = Child.run(List.of("umount", dir.toString()), Map.of(), dir.getParent(), 30);
        if (r.exitCode() != 0) {
            Child.run(List.of("umount", "-l", dir.toString()), Map.of(), dir.getParent(), 30);
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void tooLittleFreeDiskForTheClusterIsAConfigurationErrorBeforeInitdb() throws Exception {
        Path tmpfs = mount(48);
        try {
            ChildRun run = ChildRun.of(Map.of("pgprop.provider", "local", "pgprop.tempDir", tmpfs.toString()), Map.of(),
                    ConfigurationErrorsTest.WITH_DATA);
            ConfigurationErrorsTest.assertConfigurationError(run);
            assertThat(run.lineAfter("pgprop: configuration error")).startsWith(Seen.DISK_TOO_SMALL)
                    .contains("-Dpgprop.tempDir");
            try (var left = Files.list(tmpfs)) {
                assertThat(left).as("nothing written to the small disk").isEmpty();
            }
        } finally {
            unmount(tmpfs);
        }
    }

    /**
     * The cluster and pgprop's output on one small disk (as the temp dir and {@code target/} share
     * one disk on most CI machines), filled by a property: the property fails with the disk-full
     * fault, named with the server log and its last lines, not shrunk; no failure file; every file
     * pgprop wrote is whole; the cluster folder is gone from the disk.
     */
    @Test
    void aDiskThatFillsMidPropertyIsTheNamedDiskFullFaultAndNothingIsHalfWritten() throws Exception {
        Path tmpfs = mount(160);
        try {
            Path out = tmpfs.resolve("target").resolve("pgprop");
            Files.createDirectories(out);
            Path work = Files.createTempDirectory("pgprop-disk-full");
            ChildRun run = ChildRun.of(out, work, Map.of("pgprop.provider", "local", "pgprop.tempDir", tmpfs.toString(),
                    "pgprop.minFreeDiskMb", "96"), Map.of(), List.of(Probes.FillsTheDisk.class.getName()));
            assertThat(run.results()).singleElement().satisfies(l -> assertThat(l)
                    .startsWith("CHILD FAILED fills dev.pgprop.dsl.FaultException: " + Seen.DISK_FULL));
            assertThat(run.output()).contains("RESOURCES_EXHAUSTED [53100] could not extend file").contains("Server log: " + tmpfs.resolve("pgprop-cluster-"))
                    .contains("; its last lines:").contains("Free space on the disk that holds the server's data")
                    .doesNotContain("minimal dataset").doesNotContain("Shrunk Sample").doesNotContain("replay:");
            assertThat(out.resolve("failures")).as("no failure file for a fault").doesNotExist();
            // the disk is still full when the property ends: its line cannot be written, and none is half-written
            assertThat(run.output()).contains("pgprop: cannot record Probes$FillsTheDisk.fills in results.jsonl")
                    .contains("the file is left as it was").contains("The property's own result stands");
            Path results = out.resolve("results.jsonl");
            if (Files.exists(results)) {
                String text = Files.readString(results);
                assertThat(text.isEmpty() || text.endsWith("\n")).as("whole lines only: " + text).isTrue();
                assertThat(text.lines()).allSatisfy(l -> assertThat(JsonReader.parse(l)).as(l).isInstanceOf(Map.class));
            }
            try (var files = Files.walk(out)) {
                assertThat(files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()))
                        .as("no temporary file left half-written").noneMatch(n -> n.endsWith(".tmp"));
            }
            try (var left = Files.list(tmpfs)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("the cluster folder removed").containsExactly("target");
            }
        } finally {
            unmount(tmpfs);
        }
    }

    @Test
    void aWriteThatMeetsAFullDiskLeavesTheFileAsItWas() throws Exception {
        Path tmpfs = mount(1);
        try {
            Path results = tmpfs.resolve("results.jsonl");
            String lines = ("x".repeat(1000) + "\n").repeat(600);
            WholeFiles.append(results, lines);
            assertThatThrownBy(() -> WholeFiles.append(results, lines)).isInstanceOf(IOException.class);
            assertThat(Files.size(results)).as("the append taken back").isEqualTo(lines.length());
            assertThatThrownBy(() -> WholeFiles.write(tmpfs.resolve("index.html"), lines)).isInstanceOf(IOException.class);
            try (var left = Files.list(tmpfs)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no partial file").containsExactly("results.jsonl");
            }
        } finally {
            unmount(tmpfs);
        }
    }
}
