package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.pgprop.dsl.internal.WholeFiles;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code target/pgprop/results.jsonl}: one JSON line per property run, appended whole under a file lock. */
public final class ResultsFile {
    private static final java.util.concurrent.atomic.AtomicLong APPENDED = new java.util.concurrent.atomic.AtomicLong();

    private ResultsFile() {}

    /** How many lines this JVM appended (or tried to) so far: a session that appended none ran no pgprop property. */
    public static long appendedInThisJvm() {
        return APPENDED.get();
    }

    public static Path path(Path outputDir) {
        return outputDir.resolve("results.jsonl");
    }

    public static void append(Path outputDir, Map<String, @Nullable Object> line) {
        Path file = path(outputDir);
        APPENDED.incrementAndGet(); // a property ran, whether or not its line could be written
        try {
            WholeFiles.append(file, Json.write(line) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + " (" + e.getMessage() + "; the file is left as it was)", e);
        }
    }
}
