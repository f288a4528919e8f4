package dev.riscvsandbox.jetty.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live update through the admin endpoint: a fresh demo per test, since updates change what it serves. */
class AdminEndpointTest {
    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final String HELLO_JSON = "{\"message\":\"Hello from RISC-V!\"}";

    private DemoServer demo;
    private URI base;
    private int admin;

    @BeforeEach
    void start() throws Exception {
        demo = DemoServer.builder().port(0).admin(0, TOKEN).adminMaxBody(1_000_000).start();
        base = demo.url();
        admin = demo.adminPort().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        demo.close();
    }

    @Test
    void updateReplacesTheProgram() throws Exception {
        assertEquals(HELLO_JSON, Http.get(base, "customer1.com", "/hello").body());
        HttpResponse<String> r = Http.upload(admin, "customer1.com", TOKEN, Http.read(Http.rustExample("hello")));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"tenant\":\"customer1.com\",\"updated\":true,\"bytes\":"), r.body());
        HttpResponse<String> after = Http.get(base, "customer1.com", "/hello");
        assertEquals(200, after.statusCode());
        assertEquals("<p>hello from Rust 2</p>", after.body());
    }

    @Test
    void failedUpdateSaysWhyAndKeepsTheOldProgram() throws Exception {
        byte[] garbage = "this is not an ELF file".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = Http.upload(admin, "customer1.com", TOKEN, garbage);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"tenant\":\"customer1.com\",\"updated\":false,\"error\":\"tenant 'customer1.com': "),
                r.body());
        HttpResponse<String> still = Http.get(base, "customer1.com", "/hello");
        assertEquals(200, still.statusCode());
        assertEquals(HELLO_JSON, still.body());
    }

    @Test
    void badOrMissingTokenIs401() throws Exception {
        // a small body: the request is refused before its body is read, and a large one could still be on its way
        byte[] elf = java.util.Arrays.copyOf(Http.read(Http.rustExample("hello")), 4096);
        HttpResponse<String> wrong = Http.upload(admin, "customer1.com", TOKEN + "x", elf);
        assertEquals(401, wrong.statusCode());
        assertEquals(Optional.of("Bearer"), wrong.headers().firstValue("WWW-Authenticate"));
        assertEquals(401, Http.upload(admin, "customer1.com", null, elf).statusCode());
        HttpResponse<String> basic = Http.sendAlone(Http.admin(admin, "/tenants/customer1.com")
                .header("Authorization", "Basic " + TOKEN).POST(HttpRequest.BodyPublishers.ofByteArray(elf)).build());
        assertEquals(401, basic.statusCode());
        assertEquals(HELLO_JSON, Http.get(base, "customer1.com", "/hello").body(), "nothing changed");
    }

    @Test
    void unknownTenantIs404() throws Exception {
        HttpResponse<String> r = Http.upload(admin, "nobody.example", TOKEN, new byte[4096]);
        assertEquals(404, r.statusCode());
        assertEquals("{\"error\":\"no such tenant\",\"tenant\":\"nobody.example\"}\n", r.body());
    }

    @Test
    void oversizedProgramIs413() throws Exception {
        try (DemoServer small = DemoServer.builder().port(0).admin(0, TOKEN).adminMaxBody(1000).start()) {
            int port = small.adminPort().orElseThrow();
            byte[] big = new byte[1001];
            HttpResponse<String> r = Http.upload(port, "customer1.com", TOKEN, big);
            assertEquals(413, r.statusCode());
            assertEquals("{\"error\":\"the program exceeds 1000 bytes\"}\n", r.body());
            // without Content-Length (chunked), the cap holds while reading
            HttpResponse<String> chunked = Http.sendAlone(Http.admin(port, "/tenants/customer1.com")
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
            assertEquals(413, chunked.statusCode());
            assertEquals(HELLO_JSON, Http.get(small.url(), "customer1.com", "/hello").body());
        }
    }

    @Test
    void listsTenantsAndRefusesOtherMethods() throws Exception {
        HttpRequest.Builder list = Http.admin(admin, "/tenants");
        HttpResponse<String> r = Http.sendAlone(list.copy().header("Authorization", "Bearer " + TOKEN).GET().build());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"customer1.com\":{\"loaded\":true}"), r.body());
        assertEquals(401, Http.sendAlone(list.copy().GET().build()).statusCode());
        HttpResponse<String> get = Http.sendAlone(Http.admin(admin, "/tenants/customer1.com")
                .header("Authorization", "Bearer " + TOKEN).GET().build());
        assertEquals(405, get.statusCode());
    }

    @Test
    void adminIsNotOnThePublicPort() throws Exception {
        HttpResponse<String> r = Http.sendAlone(HttpRequest.newBuilder(base.resolve("/tenants/customer1.com"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Http.read(Http.rustExample("hello")))).build());
        assertEquals(403, r.statusCode(), "host 127.0.0.1 is no tenant");
        assertEquals(HELLO_JSON, Http.get(base, "customer1.com", "/hello").body());
    }

    @Test
    void aMissingOrShortTokenRefusesToStart(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> DemoServer.builder().port(0).admin(0, null).start());
        assertThrows(IllegalArgumentException.class, () -> DemoServer.builder().port(0).admin(0, "short").start());
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--admin-port", "0"}, null));
        assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"--admin-port", "0"}, "fifteen-chars..".substring(0, 15)));
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"--admin-port", "0", "--admin-token-file", file.toString()}, null));
        assertTrue(shared.getMessage().contains("may be read by other users"), shared.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Main.parse(
                new String[] {"--admin-port", "0", "--admin-token-file", dir.resolve("none").toString()}, null));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertTrue(Main.parse(new String[] {"--admin-port", "0", "--admin-token-file", file.toString()}, null)
                != null);
    }
}
