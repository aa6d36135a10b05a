package dev.pgprop.dsl.internal.provision;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the Docker engine's {@code /_ping} endpoint whether it answers, before Testcontainers is
 * touched: Testcontainers without an engine logs pages of errors, pgprop logs one line.
 */
final class DockerProbe {
    private DockerProbe() {}

    /** The result: the endpoint that answered, or every place that was tried. */
    record Result(Optional<String> endpoint, List<String> tried) {
        boolean available() {
            return endpoint.isPresent();
        }
    }

    static Result probe(Map<String, String> env) {
        List<String> tried = new ArrayList<>();
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            tried.add(dockerHost);
            return new Result(ping(dockerHost) ? Optional.of(dockerHost) : Optional.empty(), tried);
        }
        String home = System.getProperty("user.home", "");
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        if (!home.isEmpty()) {
            sockets.add(Path.of(home, ".docker/run/docker.sock"));
            sockets.add(Path.of(home, ".docker/desktop/docker.sock"));
            sockets.add(Path.of(home, ".colima/docker.sock"));
            sockets.add(Path.of(home, ".rd/docker.sock"));
        }
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
        }
        for (Path s : sockets) {
            String uri = "unix://" + s;
            tried.add(uri);
            if (Files.exists(s) && ping(uri)) {
                return new Result(Optional.of(uri), tried);
            }
        }
        return new Result(Optional.empty(), tried);
    }

    private static boolean ping(String endpoint) {
        CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
            try {
                return pingNow(endpoint);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
        try {
            return f.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            f.cancel(true);
            return false;
        }
    }

    private static boolean pingNow(String endpoint) throws IOException {
        byte[] request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        if (endpoint.startsWith("unix://")) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(endpoint.substring("unix://".length())));
                ch.write(ByteBuffer.wrap(request));
                ByteBuffer buf = ByteBuffer.allocate(256);
                ch.read(buf);
                return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).contains(" 200 ");
            }
        }
        if (endpoint.startsWith("tcp://")) {
            URI u = URI.create(endpoint);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 2375 : u.getPort()), 2000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(request);
                byte[] resp = s.getInputStream().readNBytes(64);
                String status = new String(resp, StandardCharsets.US_ASCII);
                // a TLS endpoint answers the plain request with 400: the engine is there
                return status.contains(" 200 ") || status.contains(" 400 ");
            }
        }
        return false;
    }
}
