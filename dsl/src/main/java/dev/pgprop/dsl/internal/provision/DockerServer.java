package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.ProvisioningException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A Testcontainers PostgreSQL with the same test settings as the local cluster. */
final class DockerServer {
    private DockerServer() {}

    static ProvidedServer start(String image) {
        List<String> command = new ArrayList<>(List.of("postgres"));
        for (String setting : LocalCluster.testSettings(java.nio.file.Path.of("/var/run/postgresql"))) {
            if (setting.startsWith("listen_addresses") || setting.startsWith("unix_socket_directories")
                    || setting.startsWith("logging_collector")) {
                continue;
            }
            command.add("-c");
            command.add(setting.replace(" = ", "=").replace("'", ""));
        }
        PostgreSQLContainer container;
        try {
            DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor("postgres");
            container = new PostgreSQLContainer(name)
                    .withDatabaseName("postgres")
                    .withUsername("postgres")
                    .withPassword("pgprop-" + Long.toHexString(System.nanoTime()));
            container.withCommand(command.toArray(String[]::new));
            container.start();
        } catch (RuntimeException e) {
            throw new ProvisioningException("Testcontainers could not start image " + image + ": " + e.getMessage()
                    + ". Check the image name (-Dpgprop.image) and that Docker can pull it.", e);
        }
        PostgreSQLContainer c = container;
        return new ProvidedServer("docker",
                "Testcontainers " + image + " (" + c.getContainerId().substring(0, 12) + ")",
                JdbcUrls.withDatabase(c.getJdbcUrl(), "postgres"), c.getUsername(), c.getPassword(), null, c::stop);
    }
}
