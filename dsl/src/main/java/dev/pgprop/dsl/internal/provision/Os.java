package dev.pgprop.dsl.internal.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Running commands, optionally as another OS user. */
final class Os {
    private Os() {}

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static boolean userExists(String user) {
        try {
            Result r = run(List.of("id", "-u", user), null, 10);
            return r.exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The command prefixed so it runs as {@code user} (none when {@code user} is null). */
    static List<String> asUser(@Nullable String user, List<String> command) {
        if (user == null) {
            return command;
        }
        List<String> out = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))) {
            out.add("runuser");
            out.add("-u");
            out.add(user);
            out.add("--");
            out.addAll(command);
            return out;
        }
        StringBuilder joined = new StringBuilder();
        for (String c : command) {
            joined.append(joined.length() == 0 ? "" : " ").append('\'').append(c.replace("'", "'\\''")).append('\'');
        }
        return List.of("su", "-s", "/bin/sh", user, "-c", joined.toString());
    }

    record Result(int exitCode, String output) {}

    /** Runs a command, merging stderr into stdout; fails after {@code timeoutSeconds}. */
    static Result run(List<String> command, @Nullable Path workDir, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try {
            // read in a separate thread so a chatty process cannot block on a full pipe
            var reader = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread t = new Thread(() -> {
                try {
                    reader.complete(p.getInputStream().readAllBytes());
                } catch (IOException e) {
                    reader.completeExceptionally(e);
                }
            }, "pgprop-proc-reader");
            t.setDaemon(true);
            t.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            out = reader.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot read the output of " + String.join(" ", command), e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
