package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code target/pgprop/results.jsonl}: one JSON line per property run, appended under a file lock. */
public final class ResultsFile {
    private static final java.util.concurrent.atomic.AtomicLong APPENDED = new java.util.concurrent.atomic.AtomicLong();

    private ResultsFile() {}

    /** How many lines this JVM appended so far: a session that appended none ran no pgprop property. */
    public static long appendedInThisJvm() {
        return APPENDED.get();
    }

    public static Path path(Path outputDir) {
        return outputDir.resolve("results.jsonl");
    }

    public static void append(Path outputDir, Map<String, @Nullable Object> line) {
        Path file = path(outputDir);
        try {
            Files.createDirectories(outputDir);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND); FileLock lock = ch.lock()) {
                ch.write(java.nio.ByteBuffer.wrap((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            APPENDED.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
