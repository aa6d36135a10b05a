package dev.pgprop.dsl.internal.provision;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL installation on this host: its bin directory, major version, and whether pgvector
 * is installed for it.
 */
record PgBinaries(Path binDir, int major, String version, Path shareDir, Optional<String> pgvectorVersion) {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) ([0-9]+)(\\.[0-9]+)?");
    private static final Pattern CONTROL_VERSION = Pattern.compile("default_version\\s*=\\s*'([^']+)'");

    Path initdb() {
        return binDir.resolve("initdb");
    }

    Path pgCtl() {
        return binDir.resolve("pg_ctl");
    }

    boolean hasPgvector() {
        return pgvectorVersion.isPresent();
    }

    /**
     * Every usable installation, best first: the newest major that has pgvector, then the newest
     * without it. {@code pgprop.pgBin} (a bin directory) replaces the search.
     */
    static List<PgBinaries> discover(Optional<String> explicitBinDir) {
        Set<Path> candidates = new LinkedHashSet<>();
        if (explicitBinDir.isPresent()) {
            candidates.add(Path.of(explicitBinDir.get()));
        } else {
            addGlob(candidates, Path.of("/usr/lib/postgresql"), "bin");          // Debian, Ubuntu
            addGlobPrefix(candidates, Path.of("/usr"), "pgsql-", "bin");           // RHEL, Fedora (PGDG)
            candidates.add(Path.of("/usr/local/pgsql/bin"));                       // source builds
            addGlobPrefix(candidates, Path.of("/opt/homebrew/opt"), "postgresql", "bin");
            addGlobPrefix(candidates, Path.of("/usr/local/opt"), "postgresql", "bin");
            String path = System.getenv("PATH");
            if (path != null) {
                for (String p : path.split(java.io.File.pathSeparator)) {
                    if (!p.isBlank()) {
                        candidates.add(Path.of(p));
                    }
                }
            }
        }
        List<PgBinaries> found = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path bin : candidates) {
            inspect(bin).ifPresent(b -> {
                if (seen.add(realPath(b.binDir()))) {
                    found.add(b);
                }
            });
        }
        found.sort(Comparator.comparing(PgBinaries::hasPgvector).thenComparingInt(PgBinaries::major).reversed());
        return found;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static void addGlob(Set<Path> out, Path parent, String child) {
        addGlobPrefix(out, parent, "", child);
    }

    private static void addGlobPrefix(Set<Path> out, Path parent, String prefix, String child) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : ds) {
                out.add(p.resolve(child));
            }
        } catch (IOException e) {
            // unreadable directory: nothing found there
        }
    }

    static Optional<PgBinaries> inspect(Path bin) {
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))
                || !Files.isExecutable(bin.resolve("postgres"))) {
            return Optional.empty();
        }
        try {
            Os.Result r = Os.run(List.of(bin.resolve("postgres").toString(), "--version"), null, 20);
            Matcher m = VERSION.matcher(r.output());
            if (r.exitCode() != 0 || !m.find()) {
                return Optional.empty();
            }
            int major = Integer.parseInt(m.group(1));
            String version = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            Path share = shareDir(bin, major);
            return Optional.of(new PgBinaries(bin, major, version, share, pgvector(share)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path shareDir(Path bin, int major) throws IOException {
        Path pgConfig = bin.resolve("pg_config");
        if (Files.isExecutable(pgConfig)) {
            Os.Result r = Os.run(List.of(pgConfig.toString(), "--sharedir"), null, 20);
            if (r.exitCode() == 0 && !r.output().isBlank()) {
                return Path.of(r.output().trim());
            }
        }
        Path debian = Path.of("/usr/share/postgresql/" + major);
        if (Files.isDirectory(debian)) {
            return debian;
        }
        return bin.getParent().resolve("share");
    }

    private static Optional<String> pgvector(Path shareDir) {
        Path control = shareDir.resolve("extension/vector.control");
        if (!Files.isReadable(control)) {
            return Optional.empty();
        }
        try {
            Matcher m = CONTROL_VERSION.matcher(Files.readString(control));
            return Optional.of(m.find() ? m.group(1) : "unknown");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    String describe() {
        return "PostgreSQL " + version + " binaries in " + binDir
                + pgvectorVersion.map(v -> " (pgvector " + v + ")").orElse(" (no pgvector)");
    }
}
