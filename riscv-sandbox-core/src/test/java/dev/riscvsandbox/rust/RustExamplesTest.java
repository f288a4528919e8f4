package dev.riscvsandbox.rust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.host.Decision;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Rust SDK's examples ({@code guest-api-rust/examples}, built by {@code make -C guest-api-rust} with
 * {@code bin/tenant-cargo}) end to end through the Java API: each binary is loaded as a tenant and the tests assert
 * what reaches HTTP (hook results, statuses, headers, bodies, decisions, cache hints, failures).
 *
 * <p>{@code hello} is the seed's Rust example (libvmod-riscv's README) with one {@code use} line added; it appends
 * {@code X-Hello: <url>} and forges its answer, and {@link TenantVm#request()} shows the request as on_recv left it.
 */
class RustExamplesTest {
    /** tenant name → example binary. */
    private static final Map<String, String> TENANTS = new LinkedHashMap<>();

    static {
        TENANTS.put("rusty.com", "hello");
        TENANTS.put("router.rust", "router");
        TENANTS.put("token.rust", "token");
        TENANTS.put("deliver.rust", "deliver");
        TENANTS.put("sdk.rust", "sdk-check");
        TENANTS.put("nostd32.rust", "nostd-rv32");
        TENANTS.put("nostd64.rust", "nostd-rv64");
    }

    private static Sandbox sandbox;

    @BeforeAll
    static void load() throws Exception {
        StringBuilder json = new StringBuilder("{\n");
        for (Map.Entry<String, String> t : TENANTS.entrySet()) {
            json.append("  \"").append(t.getKey()).append("\": { \"filename\": ").append(json(path(t.getValue())));
            if (t.getKey().equals("token.rust")) {
                json.append(", \"arguments\": [\"open sesame\"]");
            }
            json.append(" },\n");
        }
        json.append("  \"token2.rust\": { \"filename\": ").append(json(path("token")))
                .append(", \"arguments\": [\"s3cret\"] }\n}\n");
        sandbox = Sandbox.fromJson(json.toString());
        assertEquals(Map.of(), sandbox.loadErrors());
    }

    @AfterAll
    static void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // hello: the seed example

    /** The seed README's Rust example, character for character (tabs included), plus one `use` line. */
    static final String SEED_EXAMPLE = String.join("\n",
            "use riscv_sandbox_guest::*;",
            "",
            "fn on_client_request(_a: u32, _b: u32) {",
            "\tadd_req_header(\"X-Hello\", &get_url());",
            "",
            "\tforge(CachingDecision::Uncached, |_a: u32, _b: u32| {",
            "\t\tBackendResponse {",
            "\t\t\tstatus: 200,",
            "\t\t\tcontent_type: \"text/plain\",",
            "\t\t\tbody: \"<p>hello from Rust 2</p>\".to_string(),",
            "\t\t}",
            "\t});",
            "}",
            "",
            "pub fn main() {",
            "\twait_for_requests(on_client_request);",
            "}",
            "");

    @Test
    void seedExampleSourceIsVerbatim() throws Exception {
        Path source = examplesDir().resolve("hello").resolve("src").resolve("main.rs");
        assertEquals(SEED_EXAMPLE, Files.readString(source), source + " must stay the seed example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hello", "/a/b?c=d&e=%20f"})
    void seedExampleForgesHelloFromRust(String url) {
        for (int round = 0; round < 3; round++) { // every request starts from the snapshot
            try (TenantVm vm = sandbox.fork("rusty.com")) {
                HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(get(url)));
                assertEquals(200, f.response().status());
                assertEquals("OK", f.response().reason());
                assertEquals(List.of(new Header("Content-Type", "text/plain")), f.response().headers());
                assertEquals("<p>hello from Rust 2</p>", body(f.response()));
                assertFalse(f.cached(), "CachingDecision::Uncached");
                assertEquals("backend", f.decision().name());
                assertEquals(Optional.of(url), vm.request().header("X-Hello"));
            }
        }
    }

    @Test
    void seedExampleIsCheapPerRequest() {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            try (TenantVm vm = sandbox.fork("rusty.com")) {
                long before = vm.machine().instructions();
                assertInstanceOf(HookResult.Forged.class, vm.onRecv(get("/hello")));
                best = Math.min(best, vm.machine().instructions() - before);
            }
        }
        System.out.println("seed Rust example: " + best + " guest instructions per request (on_recv + forge)");
        assertTrue(best > 0 && best < 20_000, "instructions per request: " + best);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // router

    @Test
    void routerSynthesizesAdminAndHealthAnswers() {
        HookResult.Synthetic s = onRecv("router.rust", get("/admin/users", "X-Debug-Token", "t"),
                HookResult.Synthetic.class);
        assertEquals(403, s.response().status());
        assertEquals(List.of(new Header("Content-Type", "text/plain")), s.response().headers());
        assertEquals("forbidden\n", body(s.response()));

        s = onRecv("router.rust", get("/health"), HookResult.Synthetic.class);
        assertEquals(200, s.response().status());
        assertEquals("{\"status\":\"ok\"}", body(s.response()));
    }

    @Test
    void routerRedirectsTheOldSiteThroughOnSynth() {
        HookResult.Synthetic s = onRecv("router.rust", get("/old-site/docs/intro?lang=en"), HookResult.Synthetic.class);
        assertEquals(new Decision("synth", 301, 0, 0, false), s.decision());
        assertEquals(301, s.response().status());
        assertEquals(List.of(new Header("Location", "/docs/intro?lang=en")), s.response().headers());
        assertEquals(0, s.response().body().length);
    }

    @Test
    void routerRewritesTheUrlAndCleansHeaders() {
        HttpRequest in = get("/old/page?q=1", "X-Debug-A", "1", "x-debug-b", "2", "X-Keep", "k", "X-Router", "spoofed");
        HookResult.Continue c = onRecv("router.rust", in, HookResult.Continue.class);
        assertEquals("/new/page?q=1", c.request().uri());
        assertEquals(List.of(new Header("X-Keep", "k"), new Header("X-Router", "riscv"),
                new Header("X-Rewritten-From", "/old/page?q=1")), c.request().headers());
        assertEquals("pass", c.decision().name());
        assertEquals("app", c.backend().orElseThrow());
        assertEquals(4, in.headers().size(), "the host's request is not modified");
    }

    @Test
    void routerHashesStaticFiles() throws Exception {
        HookResult.Continue c = onRecv("router.rust", get("/static/app.css?v=3"), HookResult.Continue.class);
        assertEquals(new Decision("hash", 0, 0, 0, false), c.decision());
        assertEquals("static", c.backend().orElseThrow());
        assertEquals(3600.0, c.cacheHints().ttl().orElseThrow());
        assertEquals(true, c.cacheHints().cacheable().orElseThrow());
        assertEquals(HexFormat.of().formatHex(sha256("/static/app.css")),
                HexFormat.of().formatHex(c.cacheHints().hashKey().orElseThrow()), "hash_data(path)");
    }

    @Test
    void routerForgesApiAnswers() {
        HookResult.Forged f = onRecv("router.rust", get("/api/items?id=7"), HookResult.Forged.class);
        assertFalse(f.cached());
        assertEquals(200, f.response().status());
        assertEquals(List.of(new Header("X-Api", "riscv"), new Header("Content-Type", "application/json")),
                f.response().headers());
        assertEquals("{\"method\":\"GET\",\"router\":\"riscv\",\"url\":\"/api/items?id=7\"}", body(f.response()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // token

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                         | missing token",
        "Basic b3BlbiBzZXNhbWU=   | not a bearer token",
        "Bearer !!!!              | token is not base64",
        "Bearer b3BlbiBzZXNhbWU   | wrong token",
    })
    void tokenDeniesBadTokens(String authorization, String reason) {
        String tenant = reason.equals("wrong token") ? "token2.rust" : "token.rust"; // "open sesame" vs "s3cret"
        HttpRequest in = authorization == null ? get("/private") : get("/private", "Authorization", authorization);
        HookResult.Synthetic s = onRecv(tenant, in, HookResult.Synthetic.class);
        assertEquals(403, s.response().status());
        assertEquals(List.of(new Header("Content-Type", "application/json")), s.response().headers());
        assertEquals("{\"error\":\"forbidden\",\"reason\":\"" + reason + "\"}", body(s.response()));
    }

    @ParameterizedTest
    @CsvSource({"token.rust, open sesame", "token2.rust, s3cret"})
    void tokenPassesAGoodTokenWithoutTheSecret(String tenant, String secret) throws Exception {
        String bearer = "Bearer " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        HookResult.Continue c = onRecv(tenant, get("/private", "Host", "example.com", "Authorization", bearer),
                HookResult.Continue.class);
        assertEquals(new Decision("pass", 0, 0, 0, false), c.decision());
        String id = HexFormat.of().formatHex(sha256(secret)).substring(0, 16);
        assertEquals(List.of(new Header("Host", "example.com"), new Header("X-Authenticated", "yes"),
                new Header("X-Token-Id", id)), c.request().headers());
        String urlSafe = "Bearer " + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        onRecv(tenant, get("/", "Authorization", urlSafe), HookResult.Continue.class);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // deliver

    @Test
    void deliverEditsTheApplicationsResponse() throws Exception {
        try (TenantVm vm = sandbox.fork("deliver.rust")) {
            HookResult.Continue c = assertInstanceOf(HookResult.Continue.class, vm.onRecv(get("/page")));
            String id = "riscv-" + HexFormat.of().formatHex(sha256("/page")).substring(0, 12);
            assertEquals(List.of(new Header("X-Request-Id", id)), c.request().headers());
            HttpResponse app = InMemoryResponse.builder().status(200).header("Server", "jetty")
                    .header("Content-Type", "text/html").header("X-Internal-Trace", "1")
                    .header("X-Internal-Node", "a").body("<p>hi</p>").build();
            HttpResponse out = vm.onDeliver(app);
            assertEquals(200, out.status());
            assertEquals(List.of(new Header("Content-Type", "text/html"), new Header("X-Goodbye", "RISCV"),
                    new Header("X-Request-Id", id), new Header("X-Removed-Headers", "3")), out.headers());
            assertEquals("<p>hi</p>", body(out), "the body is the application's");
        }
    }

    @Test
    void deliverCopiesTheClientsRequestIdAndAddsRetryAfter() {
        try (TenantVm vm = sandbox.fork("deliver.rust")) {
            HookResult.Continue c = assertInstanceOf(HookResult.Continue.class,
                    vm.onRecv(get("/", "X-Request-Id", "abc-123")));
            assertFalse(c.changed(), "a request that has an id is passed on as is");
            HttpResponse out = vm.onDeliver(InMemoryResponse.builder().status(503).build());
            assertEquals(503, out.status());
            assertEquals(List.of(new Header("X-Goodbye", "RISCV"), new Header("X-Request-Id", "abc-123"),
                    new Header("X-Removed-Headers", "0"), new Header("Retry-After", "5")), out.headers());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // no_std: the same source for rv32imac and rv64gc

    @ParameterizedTest
    @CsvSource({"nostd32.rust, nostd-rv32, 32", "nostd64.rust, nostd-rv64, 64"})
    void noStdExample(String tenant, String binary, int xlen) throws Exception {
        byte[] elf = Files.readAllBytes(path(binary));
        assertEquals(xlen == 32 ? 1 : 2, elf[4], "ELF class");
        for (int round = 0; round < 2; round++) {
            try (TenantVm vm = sandbox.fork(tenant)) {
                HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(get("/x")));
                assertEquals("hello from no_std Rust on rv" + xlen, body(f.response()));
                assertTrue(f.cached());
                assertEquals(Optional.of("/x"), vm.request().header("X-Hello"));
            }
        }
        HookResult.Forged echo = onRecv(tenant, InMemoryRequest.builder().method("POST").uri("/echo")
                .body("hello").build(), HookResult.Forged.class);
        assertEquals("5 bytes, sha256 " + HexFormat.of().formatHex(sha256("hello")), body(echo.response()));
        HookResult.Synthetic alloc = onRecv(tenant, get("/alloc"), HookResult.Synthetic.class);
        long sum = 0;
        for (int i = 0; i < 2000; i++) {
            long n = i % 64 + 1;
            sum += n * (n - 1) / 2;
        }
        assertEquals("sum " + sum, body(alloc.response()));

        HookException e = assertThrows(HookException.class, () -> onRecv(tenant, get("/panic"), HookResult.class));
        assertEquals(503, e.status());
        assertEquals("on_recv", e.hook());
        assertTrue(e.getMessage().contains("on_recv: panicked at ") && e.getMessage().contains("no_std panic for /panic"),
                e.getMessage());
        onRecv(tenant, get("/after-panic"), HookResult.Forged.class); // the tenant serves the next request

        try (TenantVm vm = sandbox.fork(tenant)) {
            assertEquals(String.valueOf(xlen), vm.call("xlen", ""));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // sdk-check: failures, named functions and the rest of the API

    @Test
    void panicFailsOnlyThatRequest() {
        for (int round = 0; round < 2; round++) {
            HookException e = assertThrows(HookException.class, () -> onRecv("sdk.rust", get("/panic"), HookResult.class));
            assertEquals(503, e.status(), e.getMessage());
            assertEquals("on_recv", e.hook());
            assertFalse(e.isTimeout());
            assertTrue(e.getMessage().contains("on_recv: panicked at examples/sdk-check/src/main.rs:"), e.getMessage());
            assertTrue(e.getMessage().contains("index out of bounds: the len is 0 but the index is 6"), e.getMessage());
            assertFalse(e.getMessage().contains("/work/") || e.getMessage().contains("/home/"), "no build paths");
            onRecv("sdk.rust", get("/fine"), HookResult.Continue.class); // the next request is served
        }
        HookException e = assertThrows(HookException.class,
                () -> onRecv("sdk.rust", get("/forge-panic"), HookResult.class));
        assertEquals(500, e.status(), e.getMessage());
        assertEquals("forge", e.hook());
        assertTrue(e.getMessage().contains("forge: panicked at examples/sdk-check/src/main.rs:") && e.getMessage().contains("forge bug"),
                e.getMessage());
    }

    @Test
    void namedFunctions() {
        TenantProgram p = sandbox.tenant("sdk.rust").orElseThrow();
        assertEquals(Set.of("echo", "url", "none", "panics"), p.functions());
        try (TenantVm vm = p.fork()) {
            assertEquals("héllo wörld ✓", vm.call("echo", "héllo wörld ✓"));
            assertEquals("", vm.call("echo", ""));
            assertNull(vm.call("none", "x"));
            HookException e = assertThrows(HookException.class, () -> vm.call("url", ""));
            assertTrue(e.getMessage().contains("HTTP object 0 is not available"), "no request yet: " + e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            vm.onRecv(get("/fn?q=1"));
            assertEquals("/fn?q=1", vm.call("url", ""));
            HookException e = assertThrows(HookException.class, () -> vm.call("panics", "x"));
            assertEquals(503, e.status());
            assertEquals("panics", e.hook());
            assertTrue(e.getMessage().contains("panics: panicked at examples/sdk-check/src/main.rs:") && e.getMessage().contains(
                    "function bug: x"), e.getMessage());
        }
    }

    @Test
    void headerFields() {
        HookResult.Synthetic s = onRecv("sdk.rust", get("/headers", "X-Drop", "1", "X-Gone", "a", "X-Rewrite", "v"),
                HookResult.Synthetic.class);
        assertEquals("count=3 seen=X-Drop,X-Gone,X-Rewrite unset=1 rewritten=[v] method=GET"
                + " headers=X-Rewrite=[v];X-Set=two", body(s.response()));
    }

    @Test
    void hostCalls() {
        HookResult.Synthetic s = onRecv("sdk.rust", get("/text"), HookResult.Synthetic.class);
        assertEquals("replace=f0 boo replace_all=f0 b0 match=false b64=aMOpbGxv unb64=Some(Ok(\"héllo\"))"
                + " bad64=None json_valid=true json_bad=false name=Some(\"ada\") langs=Some(\"[\\\"rust\\\",\\\"c++\\\"]\")"
                + " missing=None xml_attr=Some(\"1\") xml_text=Some(\"second\") xml_changed=Some(2)"
                + " xml=<r><item id=\"1\" seen=\"yes\">first</item><item seen=\"yes\">second</item></r>",
                body(s.response()));
    }

    @Test
    void forgeWithBodyAndStorage() {
        HookResult.Forged f = onRecv("sdk.rust", InMemoryRequest.builder().method("POST").uri("/body")
                .body("héllo").build(), HookResult.Forged.class);
        assertEquals(201, f.response().status());
        assertEquals(List.of(new Header("X-Body-Length", "6"), new Header("Content-Type", "text/plain; charset=utf-8")),
                f.response().headers());
        assertEquals("HÉLLO", body(f.response()));

        String first = body(onRecv("sdk.rust", get("/storage"), HookResult.Synthetic.class).response());
        String second = body(onRecv("sdk.rust", get("/storage"), HookResult.Synthetic.class).response());
        assertTrue(first.matches("tick #\\d+ storage=true"), first);
        int n = Integer.parseInt(first.replaceAll("\\D+(\\d+).*", "$1"));
        assertEquals("tick #" + (n + 1) + " storage=true", second, "the storage VM keeps its memory");
    }

    @Test
    void tenantsJsonLoadsEveryExample() throws Exception {
        Path config = examplesDir().resolve("tenants.json");
        try (Sandbox s = Sandbox.fromFile(config)) {
            assertEquals(Map.of(), s.loadErrors());
            assertEquals(Set.of("rusty.com", "router.rust", "token.rust", "deliver.rust", "sdk.rust", "nostd32.rust",
                    "nostd64.rust"), s.tenants().keySet());
            try (TenantVm vm = s.fork("rusty.com")) {
                HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(get("/hello")));
                assertEquals("<p>hello from Rust 2</p>", body(f.response()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // bin/tenant-cargo: the command the host runs for rust: tenants

    @Test
    void tenantCargoPrintsItsVersionOnOneLine() throws Exception {
        assumeToolchain();
        Run v = run(tenantCargo().toString(), "--version");
        assertEquals(0, v.status(), v.err());
        assertTrue(v.out().matches("tenant-cargo riscv-sandbox-guest \\S+ sdk:[0-9a-f]{16}; rustc .* toolchain:[0-9a-f]{16}\n"),
                v.out());
        assertEquals(v.out(), run(tenantCargo().toString(), "--version").out(), "stable: a cache key");
    }

    @Test
    void tenantCargoBuildsACrateOutsideTheRepositoryAndReportsErrors(@TempDir Path tmp) throws Exception {
        assumeToolchain();
        Path crate = tmp.resolve("greeter");
        Files.createDirectories(crate.resolve("src"));
        Files.writeString(crate.resolve("Cargo.toml"), """
                [package]
                name = "greeter"
                version = "0.1.0"
                edition = "2021"

                [dependencies]
                riscv-sandbox-guest = "1"
                """);
        Files.writeString(crate.resolve("src/main.rs"), """
                use riscv_sandbox_guest::*;
                fn on_recv(_: u32, _: u32) {
                    synth(200, "text/plain", format!("hi {}", get_url()));
                }
                fn main() { wait_for_requests(on_recv); }
                """);
        Path out = tmp.resolve("greeter.elf");
        Run ok = run(tenantCargo().toString(), crate.toString(), "-o", out.toString());
        assertEquals(0, ok.status(), ok.err());
        assertFalse(Files.exists(crate.resolve("Cargo.lock")), "the crate's directory is not written");
        try (Sandbox s = Sandbox.fromJson("{\"g\": {\"filename\": " + json(out) + "}}"); TenantVm vm = s.fork("g")) {
            HookResult.Synthetic r = assertInstanceOf(HookResult.Synthetic.class, vm.onRecv(get("/x")));
            assertEquals("hi /x", body(r.response()));
        }

        Files.writeString(crate.resolve("src/main.rs"), "use riscv_sandbox_guest::*;\nfn main() { no_such_call(); }\n");
        Path bad = tmp.resolve("bad.elf");
        Run failed = run(tenantCargo().toString(), crate.toString(), "-o", bad.toString());
        assertNotEquals(0, failed.status());
        assertTrue(failed.err().contains("no_such_call"), failed.err());
        assertFalse(Files.exists(bad));

        Run usage = run(tenantCargo().toString(), crate.toString());
        assertEquals(2, usage.status());
        assertTrue(usage.err().startsWith("usage: tenant-cargo"), usage.err());
    }

    record Run(int status, String out, String err) {
    }

    static Path tenantCargo() {
        return examplesDir().getParent().resolve("bin").resolve("tenant-cargo");
    }

    /** The build tests need Debian's Rust toolchain (CI installs it); the committed binaries do not. */
    static void assumeToolchain() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cargo"))
                && Files.isDirectory(Path.of("/usr/lib/rustlib/src/rust/library/vendor")), "Debian's Rust toolchain");
        assertTrue(Files.isExecutable(tenantCargo()), tenantCargo() + " is missing");
    }

    static Run run(String... command) throws Exception {
        Path out = Files.createTempFile("tenant-cargo", ".out");
        Path err = Files.createTempFile("tenant-cargo", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) { // a cold build compiles std (about a minute)
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    /**
     * {@code guest-api-rust/examples}: the system property {@code riscv.rust.examples.dir} names its {@code bin}
     * directory, else it is found relative to the working directory or its parent (Maven runs in riscv-sandbox-core).
     */
    static Path examplesDir() {
        String property = System.getProperty("riscv.rust.examples.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize().getParent();
        }
        for (Path candidate : List.of(Path.of("..", "guest-api-rust", "examples"), Path.of("guest-api-rust", "examples"))) {
            if (Files.isDirectory(candidate.resolve("bin"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("no guest-api-rust/examples/bin directory was found; build the examples with"
                + " `make -C guest-api-rust` or set riscv.rust.examples.dir");
    }

    static Path path(String binary) {
        Path p = examplesDir().resolve("bin").resolve(binary);
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing; build the examples with `make -C guest-api-rust`");
        }
        return p;
    }

    static String json(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static <T extends HookResult> T onRecv(String tenant, HttpRequest request, Class<T> type) {
        try (TenantVm vm = sandbox.fork(tenant)) {
            return assertInstanceOf(type, vm.onRecv(request));
        }
    }

    static HttpRequest get(String url, String... headers) {
        InMemoryRequest.Builder b = InMemoryRequest.builder().uri(url);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    static String body(HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
