package dev.riscvsandbox.jetty.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** java.net.http helpers for the demo's tests (Host headers need jdk.httpclient.allowRestrictedHeaders=host). */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    /** The repository root (surefire sets riscv.repo.dir). */
    static Path repo() {
        return Path.of(System.getProperty("riscv.repo.dir", "..")).toAbsolutePath().normalize();
    }

    static Path cppExample(String name) {
        return repo().resolve("guest-api-cpp/examples/bin").resolve(name);
    }

    static Path rustExample(String name) {
        return repo().resolve("guest-api-rust/examples/bin").resolve(name);
    }

    static HttpRequest.Builder request(URI base, String host, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Host", host).timeout(Duration.ofSeconds(30));
    }

    static HttpResponse<String> get(URI base, String host, String path) throws IOException, InterruptedException {
        return send(request(base, host, path).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends on a new client: for admin requests, which the endpoint may refuse before reading the body (and then
     * closes the connection), so no request may find that connection in a shared pool.
     */
    static HttpResponse<String> sendAlone(HttpRequest request) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder admin(int adminPort, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(60));
    }

    /** POSTs {@code body} to the admin endpoint, with {@code token} unless it is null. */
    static HttpResponse<String> upload(int adminPort, String tenant, String token, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = admin(adminPort, "/tenants/" + tenant)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return sendAlone(b.build());
    }

    static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
