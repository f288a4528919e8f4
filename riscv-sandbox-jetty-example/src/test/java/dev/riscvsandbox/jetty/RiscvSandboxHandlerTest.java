package dev.riscvsandbox.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Decision;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Jetty handler on a real Jetty 12 server on a loopback port, driven over HTTP by {@link HttpClient}, with the
 * C++ SDK's example tenants (rebuilt from source by CI) and the ABI test guest that misbehaves in on_deliver: the
 * same outcomes the servlet filter's tests check ({@code RiscvSandboxFilterTest}), on Jetty's core API.
 */
class RiscvSandboxHandlerTest {
    static final Path GUESTS = Path.of(System.getProperty("riscv.guests.dir", "../guests/bin"));
    static final Path EXAMPLES = GUESTS.resolve("../../guest-api-cpp/examples").normalize();

    static Server server;
    static Sandbox sandbox;
    static HttpClient client;
    static String base;
    static final AtomicInteger applicationCalls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        String hostile = GUESTS.resolve("abi-misbehave-rv64").toAbsolutePath().normalize().toString();
        String examples = EXAMPLES.resolve("tenants.json").toString();
        sandbox = Sandbox.fromFile(Path.of(examples));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(RiscvSandboxHandler.builder(sandbox).handler(new Application()).build());
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        assertTrue(sandbox.loadErrors().isEmpty(), () -> sandbox.loadErrors().toString());
        String adapter = EXAMPLES.resolve("bin/adapter-check").toAbsolutePath().toString();
        hostileSandbox = Sandbox.fromJson("{ \"hostile.example\": { \"filename\": \""
                + hostile.replace("\\", "\\\\") + "\", \"max_instructions\": 2000000 },"
                + " \"adapter.example\": { \"filename\": \"" + adapter.replace("\\", "\\\\") + "\" } }");
        hostileServer = new Server();
        ServerConnector c2 = new ServerConnector(hostileServer);
        c2.setHost("127.0.0.1");
        c2.setPort(0);
        hostileServer.addConnector(c2);
        hostileServer.setHandler(RiscvSandboxHandler.builder(hostileSandbox).handler(new Application()).build());
        hostileServer.start();
        hostileBase = "http://127.0.0.1:" + c2.getLocalPort();
    }

    static Sandbox hostileSandbox;
    static Server hostileServer;
    static String hostileBase;

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        hostileServer.stop();
        sandbox.close();
        hostileSandbox.close();
    }

    static HttpResponse<String> get(String host, String path, String... headers) throws Exception {
        return send(base, host, HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    static HttpResponse<String> post(String host, String path, String body) throws Exception {
        return send(base, host, HttpRequest.newBuilder(URI.create(base + path))
                .POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> send(String to, String host, HttpRequest.Builder b, String... headers)
            throws Exception {
        b.header("Host", host).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static Map<String, String> echo(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r::body);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            int colon = line.indexOf(": ");
            m.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return m;
    }

    @Test
    void headerEditsAndAttributesReachTheWrappedHandler() throws Exception {
        Map<String, String> seen = echo(get("router.example", "/page?x=1", "X-Debug-Token", "secret"));
        assertEquals("riscv", seen.get("header X-Router"));
        assertFalse(seen.containsKey("header X-Debug-Token"));
        assertEquals("GET", seen.get("method"));
        assertEquals("/page", seen.get("path"));
        assertEquals("x=1", seen.get("query"));
        assertEquals("app", seen.get("attribute backend"));
        assertEquals("pass", seen.get("attribute decision"));
        assertEquals("router.example", seen.get("attribute tenant"));
    }

    @Test
    void urlRewritesReachTheWrappedHandler() throws Exception {
        Map<String, String> seen = echo(get("router.example", "/old/shop/item?id=7"));
        assertEquals("/new/shop/item", seen.get("path"));
        assertEquals("id=7", seen.get("query"));
        assertEquals("/old/shop/item?id=7", seen.get("header X-Rewritten-From"));
    }

    @Test
    void theWrappedHandlerReadsTheBodyAfterAPassingHook() throws Exception {
        String body = "name=value&other=" + "x".repeat(100_000);
        Map<String, String> seen = echo(post("router.example", "/submit", body));
        assertEquals(Integer.toString(body.length()), seen.get("body-length"));
        assertEquals(Integer.toHexString(body.hashCode()), seen.get("body-hash"));
    }

    @Test
    void synthAndForgeAnswerWithoutTheWrappedHandler() throws Exception {
        int before = applicationCalls.get();
        HttpResponse<String> admin = get("router.example", "/admin/users");
        assertEquals(403, admin.statusCode());
        assertEquals("forbidden\n", admin.body());
        HttpResponse<String> moved = get("router.example", "/old-site/about");
        assertEquals(301, moved.statusCode());
        assertEquals("/about", moved.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> hello = get("customer1.com", "/hello");
        assertEquals(200, hello.statusCode());
        assertEquals("{\"message\":\"Hello from RISC-V!\"}", hello.body());
        assertEquals("application/json", hello.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(hello.headers().firstValue("Cache-Control").isEmpty());

        HttpResponse<String> api = get("router.example", "/api/users");
        assertEquals("no-store", api.headers().firstValue("Cache-Control").orElseThrow(), "Uncached");
        assertEquals(before, applicationCalls.get());
    }

    @Test
    void postBodiesReachForgeCallbacksUpToTheLimit() throws Exception {
        String manifest = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period>"
                + "<AdaptationSet><Representation id=\"video1\" bandwidth=\"1000\"/></AdaptationSet></Period></MPD>";
        HttpResponse<String> r = post("xml.example", "/manifest.mpd", manifest);
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(r.body().contains("bandwidth=\"12345678\""), r.body());
        long limit = sandbox.tenant("xml.example").orElseThrow().config().limits().maxRequestBody();
        HttpResponse<String> big = post("xml.example", "/manifest.mpd", "x".repeat((int) limit + 1));
        assertEquals(413, big.statusCode());
    }

    @Test
    void onDeliverEditsTheWrappedHandlersResponse() throws Exception {
        HttpResponse<String> r = get("deliver.example", "/page", "X-Set-Internal", "1");
        assertEquals(200, r.statusCode());
        assertEquals("RISCV", r.headers().firstValue("X-Goodbye").orElseThrow());
        assertTrue(r.headers().firstValue("X-Request-Id").orElseThrow().startsWith("riscv-"));
        assertTrue(r.headers().firstValue("X-Internal-Secret").isEmpty(), "removed by on_deliver");

        HttpResponse<String> later = get("deliver.example", "/later");
        assertEquals(200, later.statusCode());
        assertEquals("later", later.body());
        assertEquals("RISCV", later.headers().firstValue("X-Goodbye").orElseThrow(), "written from another thread");

        HttpResponse<String> empty = get("deliver.example", "/empty");
        assertEquals(204, empty.statusCode());
        assertEquals("RISCV", empty.headers().firstValue("X-Goodbye").orElseThrow(), "no write: on completion");

        HttpResponse<String> error = get("deliver.example", "/error");
        assertEquals(503, error.statusCode());
        assertEquals("5", error.headers().firstValue("Retry-After").orElseThrow(), "on_deliver saw the 503");
        awaitAllVmsClosed(sandbox, "deliver.example");
    }

    @Test
    void failuresAreGeneric() throws Exception {
        HttpResponse<String> unknown = get("nobody.example", "/");
        assertEquals(403, unknown.statusCode());
        assertEquals("403 Forbidden\n", unknown.body());

        HttpResponse<String> loop = get("misbehave.example", "/loop");
        assertEquals(503, loop.statusCode());
        assertEquals("503 Service Unavailable\n", loop.body());
        assertEquals(500, get("misbehave.example", "/forge-loop").statusCode());
        HttpResponse<String> next = get("misbehave.example", "/fine");
        assertEquals(200, next.statusCode());
        assertEquals("fine\n", next.body());

        HttpResponse<String> deliverLoop = send(hostileBase, "hostile.example",
                HttpRequest.newBuilder(URI.create(hostileBase + "/deliver-loop")));
        assertEquals(503, deliverLoop.statusCode());
        assertEquals("503 Service Unavailable\n", deliverLoop.body(), "the wrapped handler's body is dropped");
        HttpResponse<String> inject = send(hostileBase, "hostile.example",
                HttpRequest.newBuilder(URI.create(hostileBase + "/deliver-inject")));
        assertEquals(503, inject.statusCode());
        assertTrue(inject.headers().firstValue("X-Evil").isEmpty());
        HttpResponse<String> ok = send(hostileBase, "hostile.example",
                HttpRequest.newBuilder(URI.create(hostileBase + "/deliver-ok")));
        assertEquals(200, ok.statusCode());
        awaitAllVmsClosed(hostileSandbox, "hostile.example");
    }

    @Test
    void rewritesMustBeCleanPaths() throws Exception {
        HttpResponse<String> ok = send(hostileBase, "adapter.example",
                HttpRequest.newBuilder(URI.create(hostileBase + "/page?secret=1")), "X-To", "/ok?q=1");
        Map<String, String> seen = echo(ok);
        assertEquals("/ok", seen.get("path"));
        assertEquals("q=1", seen.get("query"));
        assertEquals("1", ok.headers().firstValue("X-Delivered").orElseThrow());
        for (String bad : new String[] {"/x\\..\\y", "/a/%ff", "/a#frag", "/a;p=1/b", "/../x", "/a/%2e%2e/b", "x"}) {
            HttpResponse<String> r = send(hostileBase, "adapter.example",
                    HttpRequest.newBuilder(URI.create(hostileBase + "/page")), "X-To", bad);
            assertEquals(503, r.statusCode(), bad);
            assertEquals("503 Service Unavailable\n", r.body(), bad);
        }
        awaitAllVmsClosed(hostileSandbox, "adapter.example");
    }

    @Test
    void pathsTenantsCouldMisreadAre400() throws Exception {
        int before = applicationCalls.get();
        for (String path : new String[] {"/x/../admin/users", "/%61dmin/users", "/./admin"}) {
            HttpResponse<String> r = get("router.example", path);
            assertEquals(400, r.statusCode(), path);
            assertEquals("400 Bad Request\n", r.body(), path);
        }
        assertEquals(before, applicationCalls.get());
        assertEquals(403, get("router.example", "/admin/users").statusCode(), "the tenant's rule, on the normal path");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        String id = thread + "-" + i;
                        Map<String, String> seen = echo(get("router.example", "/old/" + id + "?n=" + i));
                        if (!("/new/" + id).equals(seen.get("path"))
                                || !("/old/" + id + "?n=" + i).equals(seen.get("header X-Rewritten-From"))) {
                            fail("request " + id + " saw " + seen);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        awaitAllVmsClosed(sandbox, "router.example");
    }

    static void awaitAllVmsClosed(Sandbox s, String tenant) throws InterruptedException {
        TenantMetrics.Snapshot m = null;
        for (int i = 0; i < 100; i++) {
            m = s.metrics(tenant).orElseThrow().snapshot();
            if (m.forks() == m.requests()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("forks " + m.forks() + " != closed " + m.requests());
    }

    /**
     * The application: echoes what it received as "name: value" lines; {@code /later} answers from another thread,
     * {@code /empty} completes a 204 without writing, {@code /error} answers 503 through {@link Response#writeError}.
     */
    static final class Application extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            applicationCalls.incrementAndGet();
            String path = request.getHttpURI().getPath();
            if (path.equals("/later")) {
                CompletableFuture.runAsync(() -> Content.Sink.write(response, true, "later", callback));
                return true;
            }
            if (path.equals("/empty")) {
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
            if (path.equals("/error")) {
                Response.writeError(request, response, callback, 503);
                return true;
            }
            StringBuilder out = new StringBuilder();
            line(out, "method", request.getMethod());
            line(out, "path", path);
            line(out, "query", request.getHttpURI().getQuery());
            for (HttpField f : request.getHeaders()) {
                line(out, "header " + f.getName(), f.getValue());
            }
            line(out, "attribute tenant", request.getAttribute(AdapterRules.ATTRIBUTE_TENANT));
            line(out, "attribute backend", request.getAttribute(AdapterRules.ATTRIBUTE_BACKEND));
            Object decision = request.getAttribute(AdapterRules.ATTRIBUTE_DECISION);
            line(out, "attribute decision", decision == null ? null : ((Decision) decision).name());
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            line(out, "body-length", body.length());
            line(out, "body-hash", Integer.toHexString(body.hashCode()));
            if (request.getHeaders().get("X-Set-Internal") != null) {
                response.getHeaders().put("X-Internal-Secret", "hidden");
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
            Content.Sink.write(response, true, out.toString(), callback);
            return true;
        }

        private static void line(StringBuilder out, String name, Object value) {
            if (value != null) {
                out.append(name).append(": ").append(value).append('\n');
            }
        }
    }
}
