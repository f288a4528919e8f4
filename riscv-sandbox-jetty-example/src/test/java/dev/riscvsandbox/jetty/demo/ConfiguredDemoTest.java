package dev.riscvsandbox.jetty.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo with a tenants file and configured upstreams: "app" points at a port nobody listens on (502), "static" at
 * an origin of the test's own; a misbehaving tenant times out (503, 500 in a forge callback).
 */
class ConfiguredDemoTest {
    @TempDir
    static Path dir;
    private static Origins custom;
    private static DemoServer demo;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        Path tenants = dir.resolve("tenants.json");
        Files.writeString(tenants, "{\n"
                + "  \"router.example\": { \"filename\": " + quoted(Http.cppExample("router")) + " },\n"
                + "  \"misbehave.example\": { \"filename\": " + quoted(Http.cppExample("misbehave"))
                + ", \"max_instructions\": 5000000, \"max_memory\": \"16MiB\" },\n"
                + "  \"broken.example\": { \"filename\": \"does-not-exist\" }\n"
                + "}\n");
        custom = Origins.start(List.of("custom-static"));
        demo = DemoServer.builder()
                .port(0)
                .tenantsFile(tenants)
                .upstream("app", URI.create("http://127.0.0.1:" + closedPort()))
                .upstream("static", custom.urls().get("custom-static"))
                .start();
        base = demo.url();
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
        if (custom != null) {
            custom.close();
        }
    }

    private static String quoted(Path p) {
        return AdminHandler.Json.quote(p.toString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void configuredUpstreamsReplaceTheBuiltInOrigins() throws Exception {
        assertFalse(demo.bundledTenants());
        assertEquals(List.of("app", "static"), List.copyOf(demo.upstreams().keySet()));
        HttpResponse<String> r = Http.get(base, "router.example", "/img/logo.png");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("custom-static"), r.headers().firstValue("X-Origin"));
        assertTrue(r.body().startsWith("origin custom-static: GET /img/logo.png\n"), r.body());
    }

    @Test
    void upstreamDownIs502() throws Exception {
        HttpResponse<String> r = Http.get(base, "router.example", "/page");
        assertEquals(502, r.statusCode());
        assertEquals(200, Http.get(base, "router.example", "/health").statusCode(), "synth still works");
    }

    @Test
    void guestTimeoutIs503AndTheTenantKeepsServing() throws Exception {
        HttpResponse<String> loop = Http.get(base, "misbehave.example", "/loop");
        assertEquals(503, loop.statusCode());
        assertEquals("503 Service Unavailable\n", loop.body());
        assertEquals(500, Http.get(base, "misbehave.example", "/forge-loop").statusCode());
        HttpResponse<String> fine = Http.get(base, "misbehave.example", "/anything");
        assertEquals(200, fine.statusCode());
        assertEquals("fine\n", fine.body());
        assertTrue(demo.sandbox().metrics("misbehave.example").orElseThrow().snapshot().timeouts() >= 2);
    }

    @Test
    void aTenantThatFailedToLoadIsAnUnknownTenant() throws Exception {
        assertTrue(demo.sandbox().loadErrors().containsKey("broken.example"));
        assertEquals(403, Http.get(base, "broken.example", "/").statusCode());
    }

    @Test
    void upstreamsAndTheDefaultAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> DemoServer.builder().upstream("x", URI.create("ftp://127.0.0.1:21")));
        assertThrows(IllegalArgumentException.class,
                () -> DemoServer.builder().upstream("x", URI.create("http://127.0.0.1:8080/base")));
        assertThrows(IllegalArgumentException.class,
                () -> DemoServer.builder().port(0).tenantsFile(dir.resolve("tenants.json"))
                        .defaultUpstream("nowhere").start());
    }

    @Test
    void commandLineUpstreams() throws Exception {
        String[] args = {"--port", "0", "--tenants", dir.resolve("tenants.json").toString(), "--no-origins",
            "--upstream", "app=http://127.0.0.1:9", "--upstream=api=https://example.test", "--default-upstream=api"};
        try (DemoServer d = Main.parse(args, null).start()) {
            assertEquals(Map.of("app", URI.create("http://127.0.0.1:9"), "api", URI.create("https://example.test:443")),
                    d.upstreams());
            assertEquals("api", d.defaultUpstream());
            assertTrue(d.adminPort().isEmpty());
        }
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--upstream", "app"}, null));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--frobnicate"}, null));
        assertEquals(null, Main.parse(new String[] {"--help"}, null));
    }
}
