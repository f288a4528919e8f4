package dev.riscvsandbox.jetty.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo as shipped: bundled tenants, built-in origins, admin endpoint off; every demo tenant over HTTP. */
class DemoServerTest {
    private static DemoServer demo;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoServer.builder().port(0).start();
        base = demo.url();
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
            assertFalse(Files.exists(demo.tenantsFile()), "the extracted bundle is deleted on close");
        }
    }

    @Test
    void bundledTenantsAllLoad() {
        assertTrue(demo.bundledTenants());
        assertEquals(Set.of("customer1.com", "rusty.com", "router.example", "token.example", "xml.example",
                "deliver.example", "bench.example"), demo.sandbox().tenants().keySet());
        assertEquals(Set.of(), demo.sandbox().loadErrors().keySet());
        assertEquals(Set.of("app", "static"), demo.upstreams().keySet());
        assertEquals("app", demo.defaultUpstream());
    }

    @Test
    void customer1IsTheSeedCppExample() throws Exception {
        HttpResponse<String> r = Http.get(base, "customer1.com", "/hello");
        assertEquals(200, r.statusCode());
        assertEquals("{\"message\":\"Hello from RISC-V!\"}", r.body());
        assertEquals(Optional.of("application/json"), r.headers().firstValue("Content-Type"));
        assertEquals(200, Http.get(base, "Customer1.COM", "/hello").statusCode(), "host names ignore case");
    }

    @Test
    void rustyIsTheSeedRustExample() throws Exception {
        HttpResponse<String> r = Http.get(base, "rusty.com", "/hello");
        assertEquals(200, r.statusCode());
        assertEquals("<p>hello from Rust 2</p>", r.body());
        assertEquals(Optional.of("text/plain"), r.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("no-store"), r.headers().firstValue("Cache-Control"), "an uncached forge");
    }

    @Test
    void routerRewritesAndProxiesToApp() throws Exception {
        HttpResponse<String> r = Http.send(Http.request(base, "router.example", "/old/page?x=1")
                .header("X-Debug-Secret", "leak").GET().build());
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("app"), r.headers().firstValue("X-Origin"));
        assertTrue(r.body().startsWith("origin app: GET /new/page?x=1\n"), r.body());
        assertTrue(r.body().contains("X-Router: riscv\n"), r.body());
        assertTrue(r.body().contains("X-Rewritten-From: /old/page?x=1\n"), r.body());
        assertTrue(r.body().contains("Host: router.example\n"), "the proxy keeps the client's Host: " + r.body());
    }

    @Test
    void clientForwardingHeadersDoNotReachTheUpstream() throws Exception {
        HttpResponse<String> r = Http.send(Http.request(base, "router.example", "/page")
                .header("X-Forwarded-For", "6.6.6.6").header("Forwarded", "for=6.6.6.6")
                .header("User-Agent", "client/1").GET().build());
        assertEquals(200, r.statusCode());
        assertFalse(r.body().contains("6.6.6.6"), "spoofed forwarding headers are dropped: " + r.body());
        assertTrue(r.body().contains("Forwarded: by=\"127.0.0.1\";for=\"127.0.0.1\";host=\"router.example\""),
                "the proxy's own Forwarded header only: " + r.body());
        assertTrue(r.body().contains("User-Agent: client/1\n"), "one User-Agent, the client's: " + r.body());
    }

    @Test
    void routerSendsStaticFilesToTheStaticOrigin() throws Exception {
        HttpResponse<String> r = Http.get(base, "router.example", "/css/site.css");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("static"), r.headers().firstValue("X-Origin"));
        assertTrue(r.body().startsWith("origin static: GET /css/site.css\n"), r.body());
        assertTrue(r.body().contains("X-Router: riscv\n"), r.body());
    }

    @Test
    void routerProxiesPostBodiesAndStatusFromTheOrigin() throws Exception {
        HttpResponse<String> r = Http.send(Http.request(base, "router.example", "/form")
                .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")).build());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("origin app: POST /form\n"), r.body());
    }

    @Test
    void routerAnswersSomeRequestsItself() throws Exception {
        HttpResponse<String> admin = Http.get(base, "router.example", "/admin/users");
        assertEquals(403, admin.statusCode());
        assertEquals("forbidden\n", admin.body());
        HttpResponse<String> health = Http.get(base, "router.example", "/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());
        HttpResponse<String> api = Http.get(base, "router.example", "/api/items");
        assertEquals(200, api.statusCode());
        assertEquals("{\"method\":\"GET\",\"router\":\"riscv\",\"url\":\"/api/items\"}", api.body());
        assertEquals(Optional.of("riscv"), api.headers().firstValue("X-Api"));
        assertFalse(api.headers().firstValue("X-Origin").isPresent(), "not proxied");
    }

    @Test
    void tokenTenantChecksTheBearerTokenAndContinuesToTheDefaultUpstream() throws Exception {
        String good = Base64.getEncoder().encodeToString("open sesame".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> ok = Http.send(Http.request(base, "token.example", "/account")
                .header("Authorization", "Bearer " + good).GET().build());
        assertEquals(200, ok.statusCode());
        assertEquals(Optional.of("app"), ok.headers().firstValue("X-Origin"), "no backend chosen: the default");
        assertTrue(ok.body().contains("X-Authenticated: yes\n"), ok.body());
        assertFalse(ok.body().contains("Authorization"), "the tenant removed the secret: " + ok.body());

        String bad = Base64.getEncoder().encodeToString("open sesame!".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> wrong = Http.send(Http.request(base, "token.example", "/account")
                .header("Authorization", "Bearer " + bad).GET().build());
        assertEquals(403, wrong.statusCode());
        assertEquals("{\"error\":\"forbidden\",\"reason\":\"wrong token\"}", wrong.body());
        HttpResponse<String> missing = Http.get(base, "token.example", "/account");
        assertEquals(403, missing.statusCode());
        assertEquals("{\"error\":\"forbidden\",\"reason\":\"missing token\"}", missing.body());
    }

    @Test
    void xmlTenantRewritesAPostedManifest() throws Exception {
        String mpd = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period><AdaptationSet>"
                + "<Representation id=\"video1\" bandwidth=\"1000\"/><Representation id=\"video2\" bandwidth=\"2000\"/>"
                + "</AdaptationSet></Period></MPD>";
        HttpResponse<String> r = Http.send(Http.request(base, "xml.example", "/manifest.mpd")
                .header("Content-Type", "application/dash+xml")
                .POST(HttpRequest.BodyPublishers.ofString(mpd)).build());
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("application/xml"), r.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("1"), r.headers().firstValue("X-Changed"));
        assertTrue(r.body().contains("bandwidth=\"12345678\""), r.body());
        assertTrue(r.body().contains("bandwidth=\"2000\""), r.body());

        HttpResponse<String> get = Http.get(base, "xml.example", "/doc");
        assertEquals(200, get.statusCode());
        assertTrue(get.body().contains("<text>Hello from RISC-V!</text><url>/doc</url>"), get.body());
    }

    @Test
    void deliverTenantEditsTheProxiedResponseHead() throws Exception {
        HttpResponse<String> r = Http.get(base, "deliver.example", "/page");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("app"), r.headers().firstValue("X-Origin"));
        assertEquals(Optional.of("RISCV"), r.headers().firstValue("X-Goodbye"));
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.startsWith("riscv-"), id);
        assertTrue(r.body().contains("X-Request-Id: " + id + "\n"), "the origin saw the same id: " + r.body());
        assertFalse(r.headers().firstValue("Server").isPresent(), "the origin's Server header was removed");
        assertEquals(Optional.of("1"), r.headers().firstValue("X-Removed-Headers"));
    }

    @Test
    void benchTenantAndNativeAnswerTheSame() throws Exception {
        HttpResponse<String> riscv = Http.get(base, "bench.example", "/riscv");
        HttpResponse<String> nat = Http.get(base, "bench.example", "/native");
        assertEquals(200, riscv.statusCode());
        assertEquals(200, nat.statusCode());
        assertEquals("{\"message\":\"Hello from RISC-V!\"}", riscv.body());
        assertEquals(riscv.body(), nat.body());
        Set<String> riscvHeaders = new TreeSet<>(riscv.headers().map().keySet());
        Set<String> nativeHeaders = new TreeSet<>(nat.headers().map().keySet());
        assertEquals(riscvHeaders, nativeHeaders);
        for (String h : riscvHeaders) {
            if (!h.equalsIgnoreCase("date")) {
                assertEquals(riscv.headers().allValues(h), nat.headers().allValues(h), h);
            }
        }
    }

    @Test
    void unknownTenantIs403() throws Exception {
        HttpResponse<String> r = Http.get(base, "nobody.example", "/hello");
        assertEquals(403, r.statusCode());
        assertEquals("403 Forbidden\n", r.body());
    }

    @Test
    void adminEndpointIsOffByDefault() throws Exception {
        assertTrue(demo.adminPort().isEmpty());
        HttpResponse<String> r = Http.send(Http.request(base, "customer1.com", "/tenants/customer1.com")
                .header("Authorization", "Bearer x").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(200, r.statusCode(), "the public port only serves tenants");
        assertEquals("{\"message\":\"Hello from RISC-V!\"}", r.body());
    }
}
