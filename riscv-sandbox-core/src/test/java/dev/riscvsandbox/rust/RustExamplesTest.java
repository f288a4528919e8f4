package dev.riscvsandbox.rust;

import static dev.riscvsandbox.examples.ExampleTenants.body;
import static dev.riscvsandbox.examples.ExampleTenants.get;
import static dev.riscvsandbox.examples.ExampleTenants.json;
import static dev.riscvsandbox.examples.ExampleTenants.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.examples.ExampleTenants;
import dev.riscvsandbox.examples.ExampleTenants.Run;
import dev.riscvsandbox.examples.MirroredExamplesContract;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
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
 *
 * <p>router, token and deliver answer exactly like the C++ SDK's; {@link MirroredExamplesContract} tests them.
 */
class RustExamplesTest extends MirroredExamplesContract {
    /** The tenants of examples/tenants.json, and token2.rust for the contract. */
    @Override
    protected Sandbox loadTenants() throws Exception {
        return ExampleTenants.config(RustExamplesTest::path)
                .tenant("rusty.com", "hello")
                .tenant("router.rust", "router")
                .tenant("token.rust", "token", "\"arguments\": [\"open sesame\"]")
                .tenant("deliver.rust", "deliver")
                .tenant("sdk.rust", "sdk-check")
                .tenant("nostd32.rust", "nostd-rv32")
                .tenant("nostd64.rust", "nostd-rv64")
                .tenant("token2.rust", "token", "\"arguments\": [\"s3cret\"]")
                .load();
    }

    @Override
    protected String tenant(String example) {
        return example + ".rust";
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
            try (TenantVm vm = sandbox().fork("rusty.com")) {
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
            try (TenantVm vm = sandbox().fork("rusty.com")) {
                long before = vm.machine().instructions();
                assertInstanceOf(HookResult.Forged.class, vm.onRecv(get("/hello")));
                best = Math.min(best, vm.machine().instructions() - before);
            }
        }
        System.out.println("seed Rust example: " + best + " guest instructions per request (on_recv + forge)");
        assertTrue(best > 0 && best < 20_000, "instructions per request: " + best);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // no_std: the same source for rv32imac and rv64gc

    @ParameterizedTest
    @CsvSource({"nostd32.rust, nostd-rv32, 32", "nostd64.rust, nostd-rv64, 64"})
    void noStdExample(String tenant, String binary, int xlen) throws Exception {
        byte[] elf = Files.readAllBytes(path(binary));
        assertEquals(xlen == 32 ? 1 : 2, elf[4], "ELF class");
        for (int round = 0; round < 2; round++) {
            try (TenantVm vm = sandbox().fork(tenant)) {
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

        try (TenantVm vm = sandbox().fork(tenant)) {
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
        TenantProgram p = sandbox().tenant("sdk.rust").orElseThrow();
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
        return ExampleTenants.run(600, command); // a cold build compiles std (about a minute)
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    /**
     * {@code guest-api-rust/examples}: the system property {@code riscv.rust.examples.dir} names its {@code bin}
     * directory, else it is found relative to the working directory or its parent (Maven runs in riscv-sandbox-core).
     */
    static Path examplesDir() {
        return ExampleTenants.binDir("riscv.rust.examples.dir", "guest-api-rust").getParent();
    }

    static Path path(String binary) {
        return ExampleTenants.binary(examplesDir().resolve("bin"), binary, "guest-api-rust");
    }
}
