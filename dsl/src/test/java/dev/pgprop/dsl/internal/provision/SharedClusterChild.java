package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.MigrationSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * A JVM attached to the shared local cluster under {@code args[0]}: it clones a database from the
 * template of a tiny migration set, says where it is, then answers {@code CHECK} (a query in its
 * database) and {@code EXIT} (a normal exit, shutdown hook included) on stdin.
 */
public final class SharedClusterChild {
    private SharedClusterChild() {}

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(300_000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        ServerRuntime rt = ServerRuntime.start(ProvisioningChainTest.settings("provider", "local", "tempDir", args[0],
                "local.shared", "true", "outputDir", args[0] + "/out-" + ProcessHandle.current().pid()), Map.of());
        MigrationSet set = MigrationSet.of("classpath:pgprop-test/tiny");
        String db = rt.createDatabase(set, "shared child");
        String dir = rt.description().replaceAll(".*shared cluster (\\S+) on port.*", "$1");
        String port = rt.description().replaceAll(".* on port (\\d+).*", "$1");
        System.out.println("READY " + dir + " " + port + " " + rt.template(set) + " " + rt.templatesMigrated() + " " + db);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("CHECK")) {
                try (Connection c = rt.connect(db); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select count(*) from pg_class where relname = 'widget'")) {
                    rs.next();
                    System.out.println("OK " + rs.getInt(1));
                } catch (Exception e) {
                    System.out.println("FAILED " + e.getMessage());
                }
                System.out.flush();
            } else if (line.equals("EXIT")) {
                System.exit(0);
            }
        }
        System.exit(0);
    }
}
