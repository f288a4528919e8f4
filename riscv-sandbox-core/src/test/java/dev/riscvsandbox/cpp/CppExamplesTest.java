package dev.riscvsandbox.cpp;

import static dev.riscvsandbox.examples.ExampleTenants.body;
import static dev.riscvsandbox.examples.ExampleTenants.get;
import static dev.riscvsandbox.examples.ExampleTenants.json;
import static dev.riscvsandbox.examples.ExampleTenants.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riscvsandbox.examples.ExampleTenants;
import dev.riscvsandbox.examples.ExampleTenants.Run;
import dev.riscvsandbox.examples.MirroredExamplesContract;
import dev.riscvsandbox.host.Decision;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The C++ SDK's examples ({@code guest-api-cpp/examples}, built by {@code make -C guest-api-cpp}) end to end through
 * the Java API: each binary is loaded as a tenant and the tests assert what reaches HTTP (hook results, statuses,
 * headers, bodies, decisions, cache hints, failures).
 *
 * <p>The seed example ({@code hello.cpp}, verbatim from libvmod-riscv's README) appends {@code X-Hello: url=...} to
 * the request and then forges its response, so the appended line never reaches the host. {@code bin/hello-inspect}
 * is the same unchanged source linked with {@code hello_inspect.cpp}, which only registers a named function that
 * reads a header of the request as on_recv left it; the test calls it after the forged response.
 *
 * <p>router, token and deliver answer exactly like the Rust SDK's; {@link MirroredExamplesContract} tests them.
 */
class CppExamplesTest extends MirroredExamplesContract {
    /** The tenants, with the limits and arguments of examples/tenants.json, and token2.example for the contract. */
    @Override
    protected Sandbox loadTenants() throws Exception {
        return ExampleTenants.config(CppExamples::path)
                .tenant("customer1.com", "hello")
                .tenant("inspect.example", "hello-inspect")
                .tenant("router.example", "router")
                .tenant("token.example", "token", "\"arguments\": [\"open sesame\"]")
                .tenant("deliver.example", "deliver")
                .tenant("misbehave.example", "misbehave", "\"max_instructions\": 5000000",
                        "\"max_memory\": \"16MiB\"")
                .tenant("xml.example", "xml")
                .tenant("hello-c.example", "hello-c-rv32")
                .tenant("hello-c64.example", "hello-c-rv64")
                .tenant("sdk.example", "sdk-check")
                .tenant("token2.example", "token", "\"arguments\": [\"s3cret\"]")
                .load();
    }

    @Override
    protected String tenant(String example) {
        return example + ".example";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // hello.cpp: the seed example, verbatim

    @Test
    void seedExampleForgesHelloJson() {
        for (int round = 0; round < 3; round++) { // every request starts from the snapshot
            HookResult.Forged f = onRecv("customer1.com", get("/hello"), HookResult.Forged.class);
            assertEquals(200, f.response().status());
            assertEquals("OK", f.response().reason());
            assertEquals(List.of(new Header("Content-Type", "application/json")), f.response().headers());
            assertEquals("{\"message\":\"Hello from RISC-V!\"}", body(f.response()));
            assertTrue(f.cached(), "varnish::Cached");
            assertEquals("backend", f.decision().name());
        }
    }

    /** libvmod-riscv's README example, character for character: it must compile and work unchanged. */
    static final String SEED_EXAMPLE = """
            #include <api.h>
            namespace varnish = api;

            static void on_recv(varnish::Request req) {
                // Manipulate request headers
                req.append("X-Hello: url=" + req.url());

                // Return a JSON response
                forge(varnish::Cached, [] (auto bereq, auto beresp) {
                    nlohmann::json json;
                    json["message"] = "Hello from RISC-V!";
                    return varnish::response{200, "application/json", json.dump()};
                });
            }

            int main() {
                varnish::wait_for_requests(on_recv);
            }
            """;

    @Test
    void seedExampleSourceIsVerbatim() throws Exception {
        Path source = CppExamples.dir().getParent().resolve("hello.cpp");
        assertEquals(SEED_EXAMPLE, Files.readString(source), source + " must stay the seed example, unchanged");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hello", "/a/b?c=d&e=%20f"})
    void seedExampleAppendsXHelloBeforeForging(String url) {
        try (TenantVm vm = sandbox().fork("customer1.com")) { // the seed example itself
            assertInstanceOf(HookResult.Forged.class, vm.onRecv(get(url)));
            assertEquals(Optional.of("url=" + url), vm.request().header("X-Hello"));
        }
        HttpResponse seed = onRecv("customer1.com", get(url), HookResult.Forged.class).response();
        try (TenantVm vm = sandbox().fork("inspect.example")) {
            HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(get(url)));
            assertEquals(seed.status(), f.response().status(), "same program, same response");
            assertEquals(seed.headers(), f.response().headers());
            assertArrayEquals(seed.body(), f.response().body());
            // the request as on_recv left it (the forge callback's BEREQ is a copy of it)
            assertEquals("url=" + url, vm.call("request_header", "X-Hello"));
            assertEquals("", vm.call("request_header", "X-Not-There"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // misbehave.cpp

    @ParameterizedTest
    @CsvSource({
        "/loop,       on_recv, 503, true,  ",
        "/membomb,    on_recv, 503, false, ",
        "/wild,       on_recv, 503, false, ",
        "/stack,      on_recv, 503, false, ",
        "/throw,      on_recv, 503, false, on_recv: uncaught exception: a bug in the tenant",
        "/expect,     on_recv, 503, false, examples/misbehave.cpp:",
        "/forge-loop, forge,   500, true,  ",
    })
    void misbehaviourFailsOnlyThatRequest(String url, String hook, int status, boolean timeout, String message) {
        for (int round = 0; round < 2; round++) {
            try (TenantVm vm = sandbox().fork("misbehave.example")) {
                HookException e = assertThrows(HookException.class, () -> vm.onRecv(get(url)));
                assertEquals(status, e.status(), e.getMessage());
                assertEquals(hook, e.hook(), e.getMessage());
                assertEquals(timeout, e.isTimeout(), e.getMessage());
                if (message != null) {
                    assertTrue(e.getMessage().contains(message), e.getMessage());
                }
            }
            HookResult.Synthetic ok = onRecv("misbehave.example", get("/ok"), HookResult.Synthetic.class);
            assertEquals(200, ok.response().status(), "the next request is fine");
            assertEquals("fine\n", body(ok.response()));
        }
    }

    @Test
    void expectReportsTheExpression() {
        try (TenantVm vm = sandbox().fork("misbehave.example")) {
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(get("/expect")));
            assertTrue(e.getMessage().contains("assertion 'url == \"/something-else\"' failed"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // xml.cpp (host calls 542-548)

    static final String MANIFEST = """
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT10S" \
            minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
              <Period id="0">
                <AdaptationSet mimeType="video/mp4" segmentAlignment="true">
                  <Representation id="video1" bandwidth="500000" width="640" height="360" codecs="avc1.4d401e">
                    <BaseURL>video1.mp4</BaseURL>
                  </Representation>
                  <Representation id="video2" bandwidth="1500000" width="1280" height="720" codecs="avc1.4d401f">
                    <BaseURL>video2.mp4</BaseURL>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    @Test
    void xmlSetsTheBandwidthOfVideo1() {
        HttpRequest post = InMemoryRequest.builder().method("POST").uri("/manifest.mpd")
                .header("Content-Type", "application/dash+xml").body(MANIFEST).build();
        HookResult.Forged f = onRecv("xml.example", post, HookResult.Forged.class);
        String out = body(f.response());
        assertEquals(200, f.response().status(), "a 400 or 500 here means the host's XML calls (542-548) are missing"
                + " or failed: " + out);
        assertFalse(f.cached(), "api::Uncached");
        assertEquals(List.of(new Header("X-Changed", "1"), new Header("Content-Type", "application/xml")),
                f.response().headers());
        assertTrue(out.matches("(?s).*<Representation[^>]*id=\"video1\"[^>]*bandwidth=\"12345678\".*")
                || out.matches("(?s).*<Representation[^>]*bandwidth=\"12345678\"[^>]*id=\"video1\".*"), out);
        assertTrue(out.contains("bandwidth=\"1500000\""), "video2 is unchanged: " + out);
        assertFalse(out.contains("bandwidth=\"500000\""), out);
        assertTrue(out.contains("<BaseURL>video1.mp4</BaseURL>"), out);
    }

    @Test
    void xmlWithoutABodyAnswersASmallDocument() {
        HookResult.Forged f = onRecv("xml.example", get("/greeting"), HookResult.Forged.class);
        String out = body(f.response());
        assertEquals(200, f.response().status(), "a 500 here means the host's XML calls (542-548) are missing: "
                + out);
        assertEquals(List.of(new Header("Content-Type", "application/xml")), f.response().headers());
        assertTrue(out.contains("<text>Hello from RISC-V!</text>"), out);
        assertTrue(out.contains("<url>/greeting</url>"), out);
    }

    @Test
    void xmlRefusesBodiesThatAreNotXml() {
        HttpRequest post = InMemoryRequest.builder().method("POST").uri("/").body("<a><b></a>").build();
        HookResult.Forged f = onRecv("xml.example", post, HookResult.Forged.class);
        assertEquals(400, f.response().status());
        assertEquals("not well-formed XML\n", body(f.response()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // hello_c.c: freestanding C with picolibc, rv32 and rv64

    @ParameterizedTest
    @CsvSource({"hello-c.example, hello-c-rv32, 32", "hello-c64.example, hello-c-rv64, 64"})
    void freestandingCExample(String tenant, String binary, int xlen) throws Exception {
        byte[] elf = Files.readAllBytes(CppExamples.path(binary));
        assertEquals(xlen == 32 ? 1 : 2, elf[4], "ELF class (EI_CLASS)");

        HookResult.Forged f = onRecv(tenant, get("/forge"), HookResult.Forged.class);
        assertEquals(200, f.response().status());
        assertEquals(List.of(new Header("Content-Type", "application/json")), f.response().headers());
        assertEquals("{\"message\":\"Hello from RISC-V!\",\"xlen\":" + xlen + ",\"body_bytes\":0}",
                body(f.response()));
        assertTrue(f.cached());

        HttpRequest post = InMemoryRequest.builder().method("POST").uri("/forge").body("12345").build();
        assertTrue(body(onRecv(tenant, post, HookResult.Forged.class).response()).endsWith("\"body_bytes\":5}"));

        HookResult.Synthetic s = onRecv(tenant, get("/synth"), HookResult.Synthetic.class);
        assertEquals("hello from C\n", body(s.response()));

        HookResult.Continue c = onRecv(tenant, get("/other?x=1", "Host", "a.example"), HookResult.Continue.class);
        assertEquals(List.of(new Header("Host", "a.example"), new Header("X-Hello", "url=/other?x=1")),
                c.request().headers());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // examples/tenants.json

    @Test
    void tenantsJsonLoadsEveryExample() throws Exception {
        Path config = CppExamples.dir().getParent().resolve("tenants.json");
        assertTrue(Files.isRegularFile(config), config + " is missing");
        try (Sandbox s = Sandbox.fromFile(config)) {
            assertEquals(Map.of(), s.loadErrors());
            assertEquals(Set.of("customer1.com", "inspect.example", "router.example", "token.example",
                    "deliver.example", "misbehave.example", "xml.example", "hello-c.example", "hello-c64.example",
                    "sdk.example"),
                    s.tenants().keySet());
            try (TenantVm vm = s.fork("customer1.com")) {
                HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(get("/")));
                assertEquals("{\"message\":\"Hello from RISC-V!\"}", body(f.response()));
            }
            try (TenantVm vm = s.fork("token.example")) {
                assertNotEquals(200, ((HookResult.Synthetic) vm.onRecv(get("/"))).response().status());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // tests/sdk_check.cpp: the SDK calls the examples do not use

    @Test
    void sdkHeaderFields() {
        String url = "/fields?" + "x".repeat(600);
        HookResult.Continue c = onRecv("sdk.example", get(url, "Host", "h"), HookResult.Continue.class);
        JsonNode r = report(c.request());
        expect(r, "append_index", 7, "find_any_case", true, "value", "one", "name", "X-A", "line", "X-A: one",
                "set", 8, "set_value", 10, "after_set", "three", "missing_valid", false, "missing_value", "",
                "missing_set", -1, "contains", true, "unset_name", 2, "copy", 7, "url_length", url.length(),
                "head_name", "", "method", "GET", "proto", "HTTP/1.1",
                "print", "sdk-check: 42 -7 1.5 true X-A: three".length());
        assertEquals("PUT", c.request().method());
        assertEquals(List.of(new Header("Host", "h"), new Header("X-A", "three"), new Header("X-B", "b2"),
                new Header("X-B", "b2"), new Header("X-D", "d")), withoutReport(c.request()));
    }

    @Test
    void sdkRegex() {
        HookResult.Continue c = onRecv("sdk.example", get("/regex"), HookResult.Continue.class);
        expect(report(c.request()), "shared", true, "match_after_release", true, "no_match", false,
                "replace", "aXcb", "replace_all", "aXcX", "groups", "example at bob", "grown", 9000,
                "regsub", 17, "regsub_line", "X-Re: hell0 w0rld", "unset_regex", 2, "global", true);
        assertEquals(List.of(new Header("X-Re", "hell0 w0rld")), withoutReport(c.request()));
    }

    @Test
    void sdkDigestsAndBase64() throws Exception {
        HookResult.Synthetic s = onRecv("sdk.example", get("/crypto"), HookResult.Synthetic.class);
        expect(JSON.readTree(s.response().body()),
                "sha256_abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "b64", "aGVsbG8gd29ybGQ=", "b64_empty", "", "unb64", "hello world", "unb64_urlsafe", true,
                "unb64_invalid", false, "equal", true, "different", false, "different_length", false);
    }

    @Test
    void sdkCacheHintsAndBackend() throws Exception {
        HookResult.Continue c = onRecv("sdk.example", get("/hints", "X-Key", "k"), HookResult.Continue.class);
        assertEquals(new Decision("hash", 0, 0, 0, false), c.decision());
        assertEquals(Optional.of("7"), c.backend());
        assertEquals(List.of("obj.http.x-tenant == sdk"), c.cacheHints().bans());
        assertTrue(c.cacheHints().purge());
        assertEquals(Optional.of(false), c.cacheHints().cacheable());
        assertEquals(OptionalDouble.of(1.5), c.cacheHints().ttl());
        assertArrayEquals(sha256("keyk"), c.cacheHints().hashKey().orElseThrow(), "hash_data(\"key\"), then X-Key");
        expect(report(c.request()), "cacheable", false, "ttl", 1.5, "backend_256", false, "backend_7", true);
    }

    @Test
    void sdkRollback() {
        HttpRequest in = get("/rollback", "X-Orig", "o");
        HookResult.Continue c = onRecv("sdk.example", in, HookResult.Continue.class);
        assertFalse(c.changed());
        assertSame(in, c.request());
        assertEquals("pass", c.decision().name());
    }

    @Test
    void sdkStorageCallsAndLiveUpdate() throws Exception {
        Path bin = CppExamples.path("sdk-check");
        try (Sandbox s = Sandbox.fromJson("{\"sdk\": {\"filename\": " + json(bin) + "}}")) {
            JsonNode r = storage(s, "first");
            expect(r, "is_storage", false, "count", 1, "previous_note", "|storage");
            expect(storage(s, "second"), "count", 2, "previous_note", "first|storage");
            // live update: on_live_update (old storage VM) hands the counter to on_resume_update (new one)
            assertTrue(s.update("sdk", Files.readAllBytes(bin)));
            expect(storage(s, "third"), "count", 3, "previous_note", "|storage");
        }
    }

    @Test
    void sdkForgeForms() {
        HttpRequest post = InMemoryRequest.builder().method("POST").uri("/forge-bytes").body("abc").build();
        HookResult.Forged f = onRecv("sdk.example", post, HookResult.Forged.class);
        assertEquals(201, f.response().status());
        assertEquals(List.of(new Header("X-Method", "POST"), new Header("Content-Type", "application/octet-stream")),
                f.response().headers());
        assertEquals("got:abc", body(f.response()), "a captured std::string and the request body");
        assertFalse(f.cached());

        post = InMemoryRequest.builder().method("PUT").uri("/forge-view").body("echo me").build();
        f = onRecv("sdk.example", post, HookResult.Forged.class);
        assertEquals("echo me", body(f.response()));
        assertEquals(List.of(new Header("Content-Type", "text/plain")), f.response().headers());
        assertTrue(f.cached());
        assertEquals("", body(onRecv("sdk.example", get("/forge-view"), HookResult.Forged.class).response()));

        try (TenantVm vm = sandbox().fork("sdk.example")) {
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(get("/forge-throw")));
            assertEquals(500, e.status());
            assertEquals("forge", e.hook());
            assertTrue(e.getMessage().contains("forge: uncaught exception: forge bug"), e.getMessage());
        }
    }

    /** JSON on the host (549/550) gives what nlohmann::json gives in the guest, for far fewer guest instructions. */
    @Test
    void sdkJsonOnTheHost() {
        String doc = "{\"user\":{\"name\":\"Ada\",\"roles\":[\"admin\",\"dev\"]},\"n\":[1,2.5,{\"x\":null}]}";
        String[][] cases = {{"/user/name", "Ada"}, {"/user/roles", "[\"admin\",\"dev\"]"}, {"/n/1", "2.5"},
            {"/n/2", "{\"x\":null}"}, {"/missing", "(none)"}, {"", doc}};
        try (TenantVm vm = sandbox().fork("sdk.example")) {
            for (String[] c : cases) {
                assertEquals(c[1], vm.call("json_extract", c[0] + "\n" + doc), c[0]);
                if (!c[0].isEmpty()) { // nlohmann::json sorts object keys; the host keeps the document's order
                    assertEquals(c[1], vm.call("json_extract_in_guest", c[0] + "\n" + doc), c[0]);
                }
            }
            assertEquals("(none)", vm.call("json_extract", "/a\n{\"a\": [1,"), "malformed");
            assertEquals("1", vm.call("json_valid", doc));
            assertEquals("0", vm.call("json_valid", "{\"a\": 1} trailing"));
            assertEquals("0", vm.call("json_valid", "[".repeat(300) + "]".repeat(300)), "nesting over 256");
        }
        StringBuilder big = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 300; i++) {
            big.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item ").append(i)
                    .append("\",\"tags\":[\"a\",\"b\"]}");
        }
        String large = big.append("]}").toString(); // about 12 KB
        long host = instructions("json_extract", "/items/299/name\n" + large);
        long guest = instructions("json_extract_in_guest", "/items/299/name\n" + large);
        System.out.printf("JSON pointer lookup in %d bytes: %d guest instructions on the host path, %d with"
                + " nlohmann::json in the guest%n", large.length(), host, guest);
        assertTrue(host * 20 < guest, "host " + host + " vs guest " + guest);
    }

    private long instructions(String function, String arg) {
        try (TenantVm vm = sandbox().fork("sdk.example")) {
            long before = vm.machine().instructions();
            assertEquals("item 299", vm.call(function, arg));
            return vm.machine().instructions() - before;
        }
    }

    @Test
    void sdkNamedFunctions() {
        TenantProgram p = sandbox().tenant("sdk.example").orElseThrow();
        assertEquals(Set.of("echo", "url", "throws", "json_extract", "json_valid", "json_extract_in_guest"),
                p.functions());
        try (TenantVm vm = p.fork()) {
            assertEquals("héllo wörld ✓", vm.call("echo", "héllo wörld ✓"));
            assertEquals("", vm.call("echo", ""));
            HookException e = assertThrows(HookException.class, () -> vm.call("url", ""));
            assertTrue(e.getMessage().contains("HTTP object 0 is not available"), "no request yet: " + e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            vm.onRecv(get("/crypto?q=1"));
            assertEquals("/crypto?q=1", vm.call("url", ""));
            HookException e = assertThrows(HookException.class, () -> vm.call("throws", "x"));
            assertEquals(503, e.status());
            assertEquals("throws", e.hook());
            assertTrue(e.getMessage().contains("throws: uncaught exception: function bug"), e.getMessage());
        }
    }

    @Test
    void sdkXmlDocuments() throws Exception {
        HookResult.Synthetic s = onRecv("sdk.example", get("/xml"), HookResult.Synthetic.class);
        JsonNode r = JSON.readTree(s.response().body());
        assertTrue(r.get("good").asBoolean(), "the host's XML calls (542-548) are missing or failed: " + r);
        expect(r, "attribute", "2", "missing_attribute", false, "text", "first", "set_attribute", 2,
                "bad_xpath", -1, "set_text", 1, "moved", true, "not_xml", false);
        String xml = r.get("serialized").asText();
        assertTrue(xml.contains("seen=\"yes\""), xml);
        assertTrue(xml.contains(">changed</item>"), xml);
        assertTrue(xml.contains(">second</item>"), xml);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // bin/tenant-c++: the command the host runs for .cpp tenants

    @Test
    void tenantCxxPrintsItsVersionOnOneLine() throws Exception {
        assumeCompiler();
        Run v = run(tenantCxx().toString(), "--version");
        assertEquals(0, v.status(), v.err());
        assertTrue(v.out().matches("tenant-c\\+\\+ guest-api-cpp \\S+ sdk:[0-9a-f]{16}; .*g\\+\\+.*\n"), v.out());
        assertEquals(v.out(), run(tenantCxx().toString(), "--version").out(), "stable: a cache key");
    }

    @Test
    void tenantCxxBuildsATenantAndReportsErrors(@TempDir Path tmp) throws Exception {
        assumeCompiler();
        Path source = tmp.resolve("greeter.cpp");
        Files.writeString(source, """
                #include <api.h>
                static void on_recv(api::Request req) {
                    nlohmann::json j;
                    j["greeting"] = GREETING;
                    j["url"] = req.url();
                    api::synth(200, "application/json", j.dump());
                }
                int main() { api::wait_for_requests(on_recv); }
                """);
        Path out = tmp.resolve("greeter");
        Run ok = run(tenantCxx().toString(), source.toString(), "-o", out.toString(), "-DGREETING=\"hi\"");
        assertEquals(0, ok.status(), ok.err());
        try (Sandbox s = Sandbox.fromJson("{\"g\": {\"filename\": " + json(out) + "}}");
             TenantVm vm = s.fork("g")) {
            HookResult.Synthetic r = assertInstanceOf(HookResult.Synthetic.class, vm.onRecv(get("/x")));
            assertEquals("{\"greeting\":\"hi\",\"url\":\"/x\"}", body(r.response()));
        }

        Files.writeString(source, "#include <api.h>\nint main() { api::no_such_call(); }\n");
        Path bad = tmp.resolve("bad");
        Run failed = run(tenantCxx().toString(), source.toString(), "-o", bad.toString());
        assertNotEquals(0, failed.status());
        assertTrue(failed.err().contains("no_such_call"), failed.err());
        assertFalse(Files.exists(bad));

        Run usage = run(tenantCxx().toString(), source.toString());
        assertEquals(2, usage.status());
        assertTrue(usage.err().startsWith("usage: tenant-c++"), usage.err());
    }

    static Path tenantCxx() {
        return CppExamples.sdkRoot().resolve("bin").resolve("tenant-c++");
    }

    /** The compile tests need the cross compiler (CI installs it); the committed binaries do not. */
    static void assumeCompiler() {
        String cxx = System.getenv().getOrDefault("TENANT_CXX", "riscv64-linux-gnu-g++");
        boolean found = cxx.contains("/") ? Files.isExecutable(Path.of(cxx))
                : java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, cxx)));
        org.junit.jupiter.api.Assumptions.assumeTrue(found, cxx + " is not installed");
        assertTrue(Files.isExecutable(tenantCxx()), tenantCxx() + " is missing");
    }

    static Run run(String... command) throws Exception {
        return ExampleTenants.run(180, command);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON report sdk-check appends as an X-Report header. */
    static JsonNode report(HttpRequest request) {
        try {
            return JSON.readTree(request.header("X-Report").orElseThrow(() -> new AssertionError("no X-Report")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Header> withoutReport(HttpRequest request) {
        return request.headers().stream().filter(h -> !h.is("X-Report")).toList();
    }

    /** Asserts key/value pairs of a JSON report (numbers, booleans, strings). */
    static void expect(JsonNode r, Object... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = (String) keysAndValues[i];
            Object want = keysAndValues[i + 1];
            JsonNode got = r.get(key);
            assertTrue(got != null, "no '" + key + "' in " + r);
            Object actual = want instanceof Boolean ? (Object) got.asBoolean()
                    : want instanceof Double ? (Object) got.asDouble()
                    : want instanceof Number ? (Object) got.asLong()
                    : got.asText();
            Object expected = want instanceof Number && !(want instanceof Double) ? ((Number) want).longValue() : want;
            assertEquals(expected, actual, key + " in " + r);
        }
    }

    static JsonNode storage(Sandbox s, String note) throws Exception {
        try (TenantVm vm = s.fork("sdk")) {
            HookResult.Synthetic r = assertInstanceOf(HookResult.Synthetic.class,
                    vm.onRecv(get("/storage", "X-Note", note)));
            return JSON.readTree(r.response().body());
        }
    }
}
