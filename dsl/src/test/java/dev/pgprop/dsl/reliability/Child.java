package dev.pgprop.dsl.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs what a test cannot do in its own JVM (which holds one server for all its tests): a JVM or
 * a Maven build of its own, its output captured; killed, with its children, if it overruns.
 */
final class Child {
    record Result(int exitCode, String output) {}

    private Child() {}

    /** The test class path of this JVM (Surefire's, not its booter jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    /** {@code java -cp <this class path> <jvmArgs> main args}, environment extended by {@code env}. */
    static Result jvm(List<String> jvmArgs, Class<?> main, List<String> args, Map<String, String> env, Path dir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.addAll(jvmArgs);
        cmd.add(main.getName());
        cmd.addAll(args);
        return run(cmd, env, dir, 300);
    }

    static Result run(List<String> cmd, Map<String, String> env, Path dir, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("pgprop-child", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError("the child run did not end in " + timeoutSeconds + " s: " + cmd + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
