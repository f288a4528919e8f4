package dev.riscvsandbox.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantMetrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter in a real Jetty 12 EE10 servlet container on a loopback port, driven over HTTP by
 * {@link java.net.http.HttpClient}, with the C++ SDK's example tenants ({@code guest-api-cpp/examples}, rebuilt from
 * source by CI): router (header edits, URL rewrite, synth, routing), hello (the seed's forged JSON), deliver
 * (on_deliver), misbehave (endless loop) and xml (POST body to a forge callback).
 *
 * <p>Context {@code /} has a filter built with {@link RiscvSandboxFilter#builder}; context {@code /web} one created
 * by the container from init parameters (tenants file, {@code header:X-Tenant} selector, unknown tenants pass); the
 * virtual host {@code hostile.example} runs the ABI test guest that misbehaves in on_deliver.
 */
class RiscvSandboxFilterTest {
    static final Path EXAMPLES = Path.of(System.getProperty("riscv.guests.dir", "../guests/bin"))
            .resolve("../../guest-api-cpp/examples").normalize();

    /** The ABI test guest with one misbehaviour per path (guests/abi/abi_misbehave.c). */
    static final Path HOSTILE = Path.of(System.getProperty("riscv.guests.dir", "../guests/bin"))
            .resolve("abi-misbehave-rv64").toAbsolutePath().normalize();

    /** A tenant steered by request headers (guest-api-cpp/tests/adapter_check.cpp): X-To rewrites, X-Status. */
    static final Path ADAPTER = EXAMPLES.resolve("bin/adapter-check").toAbsolutePath();

    static Server server;
    static Sandbox sandbox;
    static Sandbox hostile;
    static HttpClient client;
    static String base;
    /** How often the application servlet ran. */
    static final AtomicInteger applicationCalls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.fromFile(EXAMPLES.resolve("tenants.json"));
        assertTrue(sandbox.loadErrors().isEmpty(), () -> "example tenants must load: " + sandbox.loadErrors());

        hostile = Sandbox.fromJson("{ \"hostile.example\": { \"filename\": \""
                + HOSTILE.toString().replace("\\", "\\\\") + "\", \"max_instructions\": 2000000 },"
                + " \"adapter.example\": { \"filename\": \"" + ADAPTER.toString().replace("\\", "\\\\") + "\" } }");
        assertTrue(hostile.loadErrors().isEmpty(), () -> "hostile tenant must load: " + hostile.loadErrors());

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler root = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(RiscvSandboxFilter.builder(sandbox).build());
        filter.setAsyncSupported(true);
        root.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        root.addServlet(new ServletHolder(new EchoServlet()), "/*");
        ServletHolder async = new ServletHolder(new AsyncServlet());
        async.setAsyncSupported(true);
        root.addServlet(async, "/async/*");
        root.addServlet(new ServletHolder(new ErrorServlet()), "/error/*");

        ServletContextHandler web = new ServletContextHandler("/web");
        FilterHolder configured = new FilterHolder(RiscvSandboxFilter.class);
        configured.setInitParameter(RiscvSandboxFilter.PARAM_TENANTS, EXAMPLES.resolve("tenants.json").toString());
        configured.setInitParameter(RiscvSandboxFilter.PARAM_TENANT_SELECTOR, "header:X-Tenant");
        configured.setInitParameter(RiscvSandboxFilter.PARAM_UNKNOWN_TENANT, "pass");
        web.addFilter(configured, "/*", EnumSet.of(DispatcherType.REQUEST));
        web.addServlet(new ServletHolder(new EchoServlet()), "/*");

        // its own virtual host, at "/": the guest routes on the exact URL
        ServletContextHandler hostileContext = new ServletContextHandler("/");
        hostileContext.setVirtualHosts(List.of("hostile.example"));
        hostileContext.addFilter(new FilterHolder(RiscvSandboxFilter.builder(hostile)
                .tenantResolver(request -> java.util.Optional.of("hostile.example")).build()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        hostileContext.addServlet(new ServletHolder(new EchoServlet()), "/*");

        // an application at /app, for rewrites (context path, WEB-INF, query) and the head after on_deliver
        ServletContextHandler app = new ServletContextHandler("/app");
        app.setVirtualHosts(List.of("adapter.example"));
        app.addFilter(new FilterHolder(RiscvSandboxFilter.builder(hostile).build()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        app.addServlet(new ServletHolder(new EchoServlet()), "/*");
        app.addServlet(new ServletHolder(new FrozenHeadServlet()), "/frozen");

        server.setHandler(new ContextHandlerCollection(hostileContext, app, root, web));
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        sandbox.close();
        hostile.close();
    }

    static HttpResponse<String> get(String host, String path, String... headers) throws Exception {
        return send(host, HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    static HttpResponse<String> post(String host, String path, String body, String... headers) throws Exception {
        return send(host, HttpRequest.newBuilder(URI.create(base + path))
                .POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8)), headers);
    }

    static HttpResponse<String> send(String host, HttpRequest.Builder b, String... headers) throws Exception {
        b.header("Host", host).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The echo servlet's "name: value" lines. */
    static Map<String, String> echo(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r::body);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            int colon = line.indexOf(": ");
            m.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return m;
    }

    // ---- continue: the application sees the tenant's edits ----

    @Test
    void headerEditsAreVisibleToTheApplication() throws Exception {
        Map<String, String> seen = echo(get("router.example", "/page?x=1", "X-Debug-Token", "secret"));
        assertEquals("riscv", seen.get("header X-Router"), "appended by on_recv");
        assertEquals("riscv", seen.get("headers X-Router"));
        assertFalse(seen.containsKey("header X-Debug-Token"), "removed by on_recv");
        assertFalse(seen.get("header-names").toLowerCase().contains("x-debug-token"), seen.get("header-names"));
        assertTrue(seen.get("header-names").contains("X-Router"), seen.get("header-names"));
        assertEquals("GET", seen.get("method"));
        assertEquals("/page", seen.get("uri"));
        assertEquals("x=1", seen.get("query"));
        assertEquals("app", seen.get("attribute backend"), "set_backend, as a request attribute");
        assertEquals("pass", seen.get("attribute decision"));
        assertEquals("router.example", seen.get("attribute tenant"));
    }

    @Test
    void urlRewritesReachTheApplication() throws Exception {
        Map<String, String> seen = echo(get("router.example", "/old/shop/item?id=7"));
        assertEquals("/new/shop/item", seen.get("uri"), "path as the application sees it");
        assertEquals("id=7", seen.get("query"));
        assertEquals("/old/shop/item?id=7", seen.get("header X-Rewritten-From"));
        assertEquals("riscv", seen.get("header X-Router"), "header edits survive the forward");
    }

    @Test
    void theApplicationReadsTheBodyAfterAPassingHook() throws Exception {
        String body = "name=value&other=" + "x".repeat(100_000);
        Map<String, String> seen = echo(post("router.example", "/submit", body));
        assertEquals("POST", seen.get("method"));
        assertEquals(Integer.toString(body.length()), seen.get("body-length"));
        assertEquals(Integer.toHexString(body.hashCode()), seen.get("body-hash"));
    }

    // ---- synth and forge: the application is not called ----

    @Test
    void syntheticResponsesAreWrittenWithoutTheApplication() throws Exception {
        int before = applicationCalls.get();
        HttpResponse<String> r = get("router.example", "/admin/users");
        assertEquals(403, r.statusCode());
        assertEquals("forbidden\n", r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<String> health = get("router.example", "/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());

        HttpResponse<String> moved = get("router.example", "/old-site/about");
        assertEquals(301, moved.statusCode());
        assertEquals("/about", moved.headers().firstValue("Location").orElseThrow());
        assertEquals(before, applicationCalls.get());
    }

    @Test
    void forgedJsonFromTheSeedExample() throws Exception {
        int before = applicationCalls.get();
        HttpResponse<String> r = get("customer1.com", "/hello");
        assertEquals(200, r.statusCode());
        assertEquals("{\"message\":\"Hello from RISC-V!\"}", r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(Long.toString(r.body().length()), r.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(r.headers().firstValue("Cache-Control").isEmpty(), "Cached without a TTL: no Cache-Control");
        assertEquals(before, applicationCalls.get());
    }

    @Test
    void uncachedForgedResponsesAreNoStore() throws Exception {
        HttpResponse<String> r = get("router.example", "/api/users");
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void postBodiesReachForgeCallbacks() throws Exception {
        String manifest = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period>"
                + "<AdaptationSet><Representation id=\"video1\" bandwidth=\"1000\"/>"
                + "<Representation id=\"video2\" bandwidth=\"2000\"/></AdaptationSet></Period></MPD>";
        HttpResponse<String> r = post("xml.example", "/manifest.mpd", manifest);
        assertEquals(200, r.statusCode(), r::body);
        assertEquals("application/xml", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("1", r.headers().firstValue("X-Changed").orElseThrow());
        assertTrue(r.body().contains("bandwidth=\"12345678\""), r.body());
        assertTrue(r.body().contains("bandwidth=\"2000\""), r.body());

        HttpResponse<String> bad = post("xml.example", "/manifest.mpd", "<not-xml");
        assertEquals(400, bad.statusCode(), "the tenant's own answer to a bad body");
    }

    @Test
    void bodiesOverTheTenantLimitAre413() throws Exception {
        long limit = sandbox.tenant("xml.example").orElseThrow().config().limits().maxRequestBody();
        HttpResponse<String> r = post("xml.example", "/manifest.mpd", "x".repeat((int) limit + 1));
        assertEquals(413, r.statusCode());
        assertEquals("413 Content Too Large\n", r.body().replace("Payload Too Large", "Content Too Large"));
    }

    // ---- on_deliver ----

    @Test
    void onDeliverEditsTheApplicationsResponse() throws Exception {
        HttpResponse<String> r = get("deliver.example", "/page", "X-Set-Internal", "1");
        assertEquals(200, r.statusCode());
        assertEquals("RISCV", r.headers().firstValue("X-Goodbye").orElseThrow());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.startsWith("riscv-"), id);
        assertTrue(r.headers().firstValue("X-Internal-Secret").isEmpty(), "removed by on_deliver");
        // Server and X-Internal-Secret: on_deliver sees the container's Server header too (Jetty keeps it anyway: it
        // is a persistent field, configured with HttpConfiguration.setSendServerVersion)
        assertEquals("2", r.headers().firstValue("X-Removed-Headers").orElseThrow(), r.headers().map().toString());
        assertEquals("header X-Request-Id: " + id, r.body().lines()
                .filter(l -> l.startsWith("header X-Request-Id")).findFirst().orElseThrow());
    }

    @Test
    void onDeliverRunsBeforeSendError() throws Exception {
        HttpResponse<String> r = get("deliver.example", "/error/503");
        assertEquals(503, r.statusCode());
        assertEquals("RISCV", r.headers().firstValue("X-Goodbye").orElseThrow());
        assertEquals("5", r.headers().firstValue("Retry-After").orElseThrow(), "on_deliver saw the 503");
    }

    @Test
    void onDeliverRunsForAsyncResponses() throws Exception {
        HttpResponse<String> written = get("deliver.example", "/async/write");
        assertEquals(200, written.statusCode());
        assertEquals("async", written.body());
        assertEquals("RISCV", written.headers().firstValue("X-Goodbye").orElseThrow());

        HttpResponse<String> empty = get("deliver.example", "/async/empty");
        assertEquals(204, empty.statusCode());
        assertEquals("RISCV", empty.headers().firstValue("X-Goodbye").orElseThrow(), "before complete()");
        awaitAllVmsClosed(sandbox, "deliver.example");
    }

    @Test
    void onDeliverRunsWhenTheApplicationWritesNothing() throws Exception {
        HttpResponse<String> r = get("deliver.example", "/error/204");
        assertEquals(204, r.statusCode());
        assertEquals("RISCV", r.headers().firstValue("X-Goodbye").orElseThrow());
    }

    // ---- failures ----

    @Test
    void unknownTenantsAre403() throws Exception {
        int before = applicationCalls.get();
        HttpResponse<String> r = get("nobody.example", "/");
        assertEquals(403, r.statusCode());
        assertEquals("403 Forbidden\n", r.body());
        assertEquals(before, applicationCalls.get());
    }

    @Test
    void anEndlessLoopIs503AndTheTenantServesTheNextRequest() throws Exception {
        HttpResponse<String> r = get("misbehave.example", "/loop");
        assertEquals(503, r.statusCode());
        assertEquals("503 Service Unavailable\n", r.body(), "no guest details for the client");
        HttpResponse<String> forge = get("misbehave.example", "/forge-loop");
        assertEquals(500, forge.statusCode());
        assertEquals("500 Internal Server Error\n", forge.body());

        HttpResponse<String> next = get("misbehave.example", "/fine");
        assertEquals(200, next.statusCode());
        assertEquals("fine\n", next.body());
    }

    @Test
    void aFailingOnDeliverTurnsTheApplicationsResponseInto503() throws Exception {
        HttpResponse<String> r = get("hostile.example", "/deliver-loop");
        assertEquals(503, r.statusCode());
        assertEquals("503 Service Unavailable\n", r.body(), "the application's body is dropped");
        assertTrue(r.headers().firstValue("X-Internal-Secret").isEmpty());

        HttpResponse<String> injected = get("hostile.example", "/deliver-inject");
        assertEquals(503, injected.statusCode());
        assertTrue(injected.headers().firstValue("X-Evil").isEmpty());
        assertTrue(injected.headers().firstValue("Set-Cookie").isEmpty());

        Map<String, String> fine = echo(get("hostile.example", "/deliver-ok"));
        assertEquals("/deliver-ok", fine.get("uri"));
        awaitAllVmsClosed(hostile, "hostile.example");
    }

    // ---- rewrites: only where a client could go, and the query as the tenant wrote it ----

    @Test
    void rewritesStayInTheApplicationAndOutOfWebInf() throws Exception {
        Map<String, String> ok = echo(get("adapter.example", "/app/page", "X-To", "/app/echo/ok?x=1"));
        assertEquals("/app/echo/ok", ok.get("uri"));
        assertEquals("x=1", ok.get("query"));
        for (String[] c : new String[][] {
                {"/app/WEB-INF/web.xml", "404"}, {"/app/meta-inf/MANIFEST.MF", "404"}, {"/elsewhere", "404"},
                {"/app/echo/../WEB-INF/web.xml", "503"}, {"/app/./WEB-INF/web.xml", "503"},
                {"/app/WEB-INF%2fweb.xml", "503"}, {"/app/%2e%2e/x", "503"}, {"/app//x", "503"},
                {"/app/x;jsessionid=1", "503"}, {"/app/x%00", "503"}, {"/app/%ff", "503"}, {"*", "503"}}) {
            HttpResponse<String> r = get("adapter.example", "/app/page", "X-To", c[0]);
            assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0]);
            assertEquals(c[1] + (c[1].equals("404") ? " Not Found\n" : " Service Unavailable\n"), r.body(), c[0]);
            assertTrue(r.headers().firstValue("X-Delivered").isEmpty(), "refusals do not go through on_deliver");
        }
        awaitAllVmsClosed(hostile, "adapter.example");
    }

    @Test
    void queryRewritesReplaceTheClientsQuery() throws Exception {
        Map<String, String> dropped = echo(get("adapter.example", "/app/echo/a?secret=1", "X-To", "/app/echo/a"));
        assertEquals("/app/echo/a", dropped.get("uri"));
        assertNull(dropped.get("query"), "the tenant removed the query");
        assertNull(dropped.get("param secret"));

        Map<String, String> moved = echo(get("adapter.example", "/app/echo/a?secret=1", "X-To",
                "/app/echo/b?secret=2&x=a+b"));
        assertEquals("/app/echo/b", moved.get("uri"));
        assertEquals("secret=2&x=a+b", moved.get("query"));
        assertEquals("2", moved.get("param secret"), "not merged with the client's");
        assertEquals("a b", moved.get("param x"));

        Map<String, String> form = echo(send("adapter.example", HttpRequest.newBuilder(
                URI.create(base + "/app/echo/a?secret=1")).POST(BodyPublishers.ofString("form=1&secret=3")),
                "Content-Type", "application/x-www-form-urlencoded", "X-To", "/app/echo/a?q=2"));
        assertEquals("2", form.get("param q"));
        assertEquals("1", form.get("param form"));
        assertEquals("3", form.get("param secret"), "the body's value stays, the client's query value is gone");
    }

    @Test
    void theHeadIsFinalOnceOnDeliverRan() throws Exception {
        HttpResponse<String> r = get("adapter.example", "/app/frozen", "X-Status", "299");
        assertEquals(299, r.statusCode(), "on_deliver's status, not the later setStatus(500)");
        assertEquals("1", r.headers().firstValue("X-Delivered").orElseThrow());
        assertTrue(r.headers().firstValue("X-Late").isEmpty(), "a header set after on_deliver is ignored");
        assertEquals("written;sendError refused", r.body());
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

    // ---- the container-configured filter ----

    @Test
    void initParametersConfigureTheFilter() throws Exception {
        HttpResponse<String> forged = get("ignored.example", "/web/hello", "X-Tenant", "customer1.com");
        assertEquals(200, forged.statusCode());
        assertEquals("{\"message\":\"Hello from RISC-V!\"}", forged.body());

        Map<String, String> passed = echo(get("ignored.example", "/web/page"));
        assertEquals("/web/page", passed.get("uri"), "no X-Tenant header: unknown tenant, passed through");
        assertNull(passed.get("attribute tenant"));
    }

    // ---- isolation under concurrency ----

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        int threads = 2;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = thread + "-" + i;
                        Map<String, String> seen = echo(get("router.example", "/old/" + id + "?n=" + i));
                        if (!("/new/" + id).equals(seen.get("uri"))
                                || !("/old/" + id + "?n=" + i).equals(seen.get("header X-Rewritten-From"))
                                || !("n=" + i).equals(seen.get("query"))) {
                            fail("request " + id + " saw " + seen);
                        }
                    }
                    return perThread;
                }));
            }
            int done = 0;
            for (Future<Integer> f : results) {
                done += f.get();
            }
            assertEquals(threads * perThread, done);
        } finally {
            pool.shutdownNow();
        }
        awaitAllVmsClosed(sandbox, "router.example");
    }

    /** Every VM forked for {@code tenant} was closed (the fork went back to the pool). */
    static void awaitAllVmsClosed(Sandbox sandbox, String tenant) throws InterruptedException {
        TenantMetrics.Snapshot s = null;
        for (int i = 0; i < 100; i++) {
            s = sandbox.metrics(tenant).orElseThrow().snapshot();
            if (s.forks() == s.requests()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("forks " + s.forks() + " != closed " + s.requests());
    }

    /** Answers with what it received, one "name: value" line each. */
    static final class EchoServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            applicationCalls.incrementAndGet();
            StringBuilder out = new StringBuilder();
            line(out, "method", req.getMethod());
            line(out, "uri", req.getRequestURI());
            line(out, "query", req.getQueryString());
            for (String name : Collections.list(req.getHeaderNames())) {
                line(out, "header " + name, req.getHeader(name));
                line(out, "headers " + name, String.join(",", Collections.list(req.getHeaders(name))));
            }
            line(out, "header-names", String.join(",", Collections.list(req.getHeaderNames())));
            for (Map.Entry<String, String[]> p : req.getParameterMap().entrySet()) {
                line(out, "param " + p.getKey(), String.join(",", p.getValue()));
            }
            line(out, "attribute tenant", req.getAttribute(RiscvSandboxFilter.ATTRIBUTE_TENANT));
            line(out, "attribute backend", req.getAttribute(RiscvSandboxFilter.ATTRIBUTE_BACKEND));
            Object decision = req.getAttribute(RiscvSandboxFilter.ATTRIBUTE_DECISION);
            line(out, "attribute decision", decision == null ? null
                    : ((dev.riscvsandbox.host.Decision) decision).name());
            byte[] body = req.getParameterMap().isEmpty() || req.getContentType() == null
                    || !req.getContentType().startsWith("application/x-www-form-urlencoded")
                    ? req.getInputStream().readAllBytes() : new byte[0];
            line(out, "body-length", body.length);
            line(out, "body-hash", Integer.toHexString(new String(body, StandardCharsets.UTF_8).hashCode()));
            if (req.getHeader("X-Set-Internal") != null) {
                resp.setHeader("X-Internal-Secret", "hidden");
            }
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().write(out.toString());
        }

        private static void line(StringBuilder out, String name, Object value) {
            if (value != null) {
                out.append(name).append(": ").append(value).append('\n');
            }
        }
    }

    /** Writes, then tries to change the head after on_deliver has run: ignored, and sendError is refused. */
    static final class FrozenHeadServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().write("written;");
            resp.setHeader("X-Late", "1");
            resp.setStatus(500);
            try {
                resp.sendError(500);
                resp.getWriter().write("sendError accepted");
            } catch (IllegalStateException e) {
                resp.getWriter().write("sendError refused");
            }
        }
    }

    /** {@code /error/N}: sendError(N), or for 204 a status without a body. */
    static final class ErrorServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int status = Integer.parseInt(req.getPathInfo().substring(1));
            if (status >= 400) {
                resp.sendError(status);
            } else {
                resp.setStatus(status);
            }
        }
    }

    /** {@code /async/write}: writes from another thread; {@code /async/empty}: completes a 204 without writing. */
    static final class AsyncServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            boolean write = req.getPathInfo().equals("/write");
            async.start(() -> {
                try {
                    HttpServletResponse r = (HttpServletResponse) async.getResponse();
                    if (write) {
                        r.setContentType("text/plain");
                        r.getOutputStream().write("async".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        r.setStatus(204);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }
}
