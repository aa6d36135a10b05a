package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local cluster's folder on a small tmpfs (mounted here: the tests run as root; a machine where
 * the mount fails fails this test, it is not skipped). Too little room is a configuration error
 * found before initdb, and nothing is written to that disk.
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
}
