package dev.pgprop.dsl.internal.provision;

import java.nio.file.Path;
import java.util.Map;

/** A JVM that starts a local cluster, says where, and waits to be killed. */
public final class StaleClusterChild {
    private StaleClusterChild() {}

    public static void main(String[] args) throws Exception {
        ProvidedServer s = new Provisioner(ProvisioningChainTest.settings("provider", "local", "tempDir", args[0]), Map.of())
                .provide();
        String dir = s.description().replaceAll(".*ephemeral cluster (\\S+) on port.*", "$1");
        System.out.println("READY " + Path.of(dir));
        System.out.flush();
        Thread.sleep(120_000);
    }
}
