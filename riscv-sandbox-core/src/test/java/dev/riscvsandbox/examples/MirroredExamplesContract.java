package dev.riscvsandbox.examples;

import static dev.riscvsandbox.examples.ExampleTenants.body;
import static dev.riscvsandbox.examples.ExampleTenants.get;
import static dev.riscvsandbox.examples.ExampleTenants.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.Decision;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the examples both guest SDKs have on purpose behave like, whichever SDK built them: router, token and deliver
 * (the Rust ones were written to answer exactly like the C++ ones). A test class of an SDK's examples extends this,
 * loads the examples as tenants ({@link #loadTenants()}, once per class) and names them ({@link #tenant(String)});
 * what differs between the SDKs stays in that class.
 *
 * <p>The tenants: {@code router}; {@code token} with the argument (secret) {@code "open sesame"}; {@code token2}, the
 * same binary with {@code "s3cret"}; {@code deliver}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MirroredExamplesContract {
    private Sandbox sandbox;

    /** The SDK's examples loaded as tenants, once for the test class; every tenant must load. */
    protected abstract Sandbox loadTenants() throws Exception;

    @BeforeAll
    protected final void loadSandbox() throws Exception {
        sandbox = loadTenants();
    }

    @AfterAll
    protected final void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** The sandbox the SDK's examples are loaded in. */
    protected final Sandbox sandbox() {
        return sandbox;
    }

    /** The tenant name of {@code router}, {@code token}, {@code token2} or {@code deliver} in {@link #sandbox()}. */
    protected abstract String tenant(String example);

    /** on_recv in a fresh fork of the tenant; the result must be of {@code type}. */
    protected <T extends HookResult> T onRecv(String tenant, HttpRequest request, Class<T> type) {
        return ExampleTenants.onRecv(sandbox(), tenant, request, type);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // router

    @Test
    protected void routerSynthesizesAdminAndHealthAnswers() {
        HookResult.Synthetic s = onRecv(tenant("router"), get("/admin/users", "X-Debug-Token", "t"),
                HookResult.Synthetic.class);
        assertEquals(403, s.response().status());
        assertEquals(List.of(new Header("Content-Type", "text/plain")), s.response().headers());
        assertEquals("forbidden\n", body(s.response()));

        s = onRecv(tenant("router"), get("/health"), HookResult.Synthetic.class);
        assertEquals(200, s.response().status());
        assertEquals("{\"status\":\"ok\"}", body(s.response()));
        assertEquals(List.of(new Header("Content-Type", "application/json")), s.response().headers());
    }

    @Test
    protected void routerRedirectsTheOldSiteThroughOnSynth() {
        HookResult.Synthetic s = onRecv(tenant("router"), get("/old-site/docs/intro?lang=en"),
                HookResult.Synthetic.class);
        assertEquals(new Decision("synth", 301, 0, 0, false), s.decision());
        assertEquals(301, s.response().status());
        assertEquals(List.of(new Header("Location", "/docs/intro?lang=en")), s.response().headers());
        assertEquals(0, s.response().body().length);
    }

    @Test
    protected void routerRewritesTheUrlAndCleansHeaders() {
        HttpRequest in = get("/old/page?q=1", "X-Debug-A", "1", "x-debug-b", "2", "X-Keep", "k", "X-Router", "spoofed");
        HookResult.Continue c = onRecv(tenant("router"), in, HookResult.Continue.class);
        assertEquals("/new/page?q=1", c.request().uri(), "URL rewritten through field 1");
        assertEquals(List.of(new Header("X-Keep", "k"), new Header("X-Router", "riscv"),
                new Header("X-Rewritten-From", "/old/page?q=1")), c.request().headers());
        assertTrue(c.changed());
        assertEquals("pass", c.decision().name());
        assertEquals("app", c.backend().orElseThrow());
        assertEquals(4, in.headers().size(), "the host's request is not modified");
    }

    @Test
    protected void routerHashesStaticFiles() {
        HookResult.Continue c = onRecv(tenant("router"), get("/static/app.css?v=3"), HookResult.Continue.class);
        assertEquals(new Decision("hash", 0, 0, 0, false), c.decision());
        assertEquals("static", c.backend().orElseThrow());
        assertEquals(3600.0, c.cacheHints().ttl().orElseThrow());
        assertEquals(true, c.cacheHints().cacheable().orElseThrow());
        assertArrayEquals(sha256("/static/app.css"), c.cacheHints().hashKey().orElseThrow(), "hash_data(path)");
    }

    @Test
    protected void routerForgesApiAnswers() {
        HookResult.Forged f = onRecv(tenant("router"), get("/api/items?id=7"), HookResult.Forged.class);
        assertFalse(f.cached(), "forged uncached");
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
    protected void tokenDeniesBadTokens(String authorization, String reason) {
        // the last row is base64("open sesame") for the tenant whose secret is "s3cret"
        String tenant = tenant(reason.equals("wrong token") ? "token2" : "token");
        HttpRequest in = authorization == null ? get("/private") : get("/private", "Authorization", authorization);
        HookResult.Synthetic s = onRecv(tenant, in, HookResult.Synthetic.class);
        assertEquals(403, s.response().status());
        assertEquals(List.of(new Header("Content-Type", "application/json")), s.response().headers());
        assertEquals("{\"error\":\"forbidden\",\"reason\":\"" + reason + "\"}", body(s.response()));
    }

    @ParameterizedTest
    @CsvSource({"token, open sesame", "token2, s3cret"})
    protected void tokenPassesAGoodTokenWithoutTheSecret(String example, String secret) {
        String tenant = tenant(example);
        String bearer = "Bearer " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        HookResult.Continue c = onRecv(tenant, get("/private", "Host", "example.com", "Authorization", bearer),
                HookResult.Continue.class);
        assertEquals(new Decision("pass", 0, 0, 0, false), c.decision());
        String id = HexFormat.of().formatHex(sha256(secret)).substring(0, 16);
        assertEquals(List.of(new Header("Host", "example.com"), new Header("X-Authenticated", "yes"),
                new Header("X-Token-Id", id)), c.request().headers());

        // URL-safe base64 without padding works too (the host decodes both alphabets)
        String urlSafe = "Bearer " + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        onRecv(tenant, get("/", "Authorization", urlSafe), HookResult.Continue.class);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // deliver

    @Test
    protected void deliverEditsTheApplicationsResponse() {
        try (TenantVm vm = sandbox().fork(tenant("deliver"))) {
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
    protected void deliverCopiesTheClientsRequestIdAndAddsRetryAfter() {
        try (TenantVm vm = sandbox().fork(tenant("deliver"))) {
            HookResult.Continue c = assertInstanceOf(HookResult.Continue.class,
                    vm.onRecv(get("/", "X-Request-Id", "abc-123")));
            assertFalse(c.changed(), "a request that has an id is passed on as is");
            HttpResponse out = vm.onDeliver(InMemoryResponse.builder().status(503).build());
            assertEquals(503, out.status());
            assertEquals(List.of(new Header("X-Goodbye", "RISCV"), new Header("X-Request-Id", "abc-123"),
                    new Header("X-Removed-Headers", "0"), new Header("Retry-After", "5")), out.headers());
        }
    }
}
