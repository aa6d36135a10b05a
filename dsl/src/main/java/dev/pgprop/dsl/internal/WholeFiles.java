package dev.pgprop.dsl.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that are whole or absent, never half-written: a full disk (the one the server filled,
 * often the one {@code target/} is on) ends a write midway. A file is written beside its target
 * and moved over it; an append is taken back to the length it had.
 */
public final class WholeFiles {
    private WholeFiles() {}

    /** Writes {@code text} to {@code file} (UTF-8): afterwards it holds all of it, or what it held before. */
    public static void write(Path file, String text) throws IOException {
        replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** Copies {@code from} to {@code to} whole, or leaves {@code to} as it was. */
    public static void copy(Path from, Path to) throws IOException {
        replace(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    private interface Fill {
        void into(Path tmp) throws IOException;
    }

    private static void replace(Path file, Fill fill) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            fill.into(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Appends {@code text} under an exclusive lock (other JVMs append to the same file): all of it,
     * or nothing, the file cut back to its length before.
     */
    public static void append(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            long before = ch.size();
            boolean whole = false;
            try {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                ch.position(before);
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                whole = true;
            } finally {
                if (!whole) {
                    ch.truncate(before);
                }
            }
        }
    }
}
