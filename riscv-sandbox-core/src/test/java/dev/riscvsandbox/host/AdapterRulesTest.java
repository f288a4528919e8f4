package dev.riscvsandbox.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules both adapters share. */
class AdapterRulesTest {
    @Test
    void tenantNamesFromServerNames() {
        assertEquals("customer1.com", AdapterRules.tenantFromServerName("Customer1.COM."));
        assertEquals("[::1]", AdapterRules.tenantFromServerName("[::1]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/b", "/a/b?x=1&y=%2F", "/caf%C3%A9", "/a/b/?q", "/a?x=;"})
    void cleanRewritesAreAccepted(String uri) {
        assertNull(AdapterRules.rewriteRefusal(uri), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "*", "http://x/", "/a#f", "/a\\b", "/a;p", "/a\u0000", "/a\n", "/a/../b",
            "/a/./b", "/a//b", "/..", "/a/%2e%2e/b", "/a%2fb", "/a%5cb", "/a%3bb", "/a%00", "/%ff", "/%C3", "/%zz",
            "/%4"})
    void otherRewritesAreRefused(String uri) {
        String why = AdapterRules.rewriteRefusal(uri);
        assertEquals(true, why != null && !why.isEmpty(), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/x/../admin", "/./admin", "/admin/..", "/%61dmin", "/a%2Db", "/a%7e", "/%2e%2e/x", "/a/%2E"})
    void nonNormalClientPathsAreRefused(String path) {
        assertEquals(true, AdapterRules.clientPathRefusal(path) != null, path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/admin", "/a..b/.c/d.", "/caf%C3%A9", "/a%20b", "/a%2Fb", "/x%", "/x%zz", "//a"})
    void normalClientPathsPass(String path) {
        assertNull(AdapterRules.clientPathRefusal(path), path);
    }

    @Test
    void pathsDecode() {
        assertEquals("/café x", AdapterRules.decodePath("/caf%C3%A9%20x"));
        assertThrows(IllegalArgumentException.class, () -> AdapterRules.decodePath("/%2F"));
    }

    static HookResult.Forged forged(boolean cached, CacheHints hints, String... headers) {
        InMemoryResponse.Builder b = InMemoryResponse.builder().status(200);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return new HookResult.Forged(b.build(), cached, Decision.NONE, hints);
    }

    @Test
    void cacheControlOfForgedResponses() {
        CacheHints ttl = new CacheHints(List.of(), false, Optional.empty(), OptionalDouble.of(60.9), Optional.empty());
        CacheHints uncacheable = new CacheHints(List.of(), false, Optional.of(false), OptionalDouble.of(60),
                Optional.empty());
        assertEquals(Optional.of("no-store"), AdapterRules.cacheControl(forged(false, CacheHints.NONE)));
        assertEquals(Optional.empty(), AdapterRules.cacheControl(forged(true, CacheHints.NONE)));
        assertEquals(Optional.of("max-age=60"), AdapterRules.cacheControl(forged(true, ttl)));
        assertEquals(Optional.of("no-store"), AdapterRules.cacheControl(forged(true, uncacheable)));
        assertEquals(Optional.empty(), AdapterRules.cacheControl(forged(false, ttl, "Cache-Control", "private")),
                "the tenant's own Cache-Control stays");
    }

    @Test
    void headerChangesIgnoreFramingAndCase() {
        HttpResponse before = InMemoryResponse.builder().status(200).header("A", "1").header("b", "2")
                .header("Content-Length", "5").header("C", "3").header("c", "4").build();
        HttpResponse after = InMemoryResponse.builder().status(200).header("a", "1").header("C", "3")
                .header("D", "new").build();
        assertEquals(List.of(new AdapterRules.HeaderChange("C", List.of("3")),
                new AdapterRules.HeaderChange("D", List.of("new")),
                new AdapterRules.HeaderChange("b", List.of())), AdapterRules.headerChanges(before, after));
    }

    @Test
    void bodilessRequestsAreKnownFromTheirHead() {
        assertEquals(true, AdapterRules.hasNoBody(0, false, "HTTP/1.1"));
        assertEquals(true, AdapterRules.hasNoBody(-1, false, "HTTP/1.1"));
        assertEquals(false, AdapterRules.hasNoBody(5, false, "HTTP/1.1"));
        assertEquals(false, AdapterRules.hasNoBody(-1, true, "HTTP/1.1"), "chunked");
        assertEquals(false, AdapterRules.hasNoBody(-1, false, "HTTP/2.0"), "HTTP/2 frames bodies without headers");
        assertEquals(true, AdapterRules.hasNoBody(0, false, "HTTP/2.0"));
    }

    @Test
    void selectorsParse() {
        assertEquals(new AdapterRules.Selector("host", ""), AdapterRules.Selector.parse(" host "));
        assertEquals(new AdapterRules.Selector("header", "X-Tenant"), AdapterRules.Selector.parse("header: X-Tenant"));
        assertEquals(new AdapterRules.Selector("attribute", "t"), AdapterRules.Selector.parse("attribute:t"));
        for (String bad : new String[] {"", "header:", "attribute", "cookie:x", "Host"}) {
            assertThrows(IllegalArgumentException.class, () -> AdapterRules.Selector.parse(bad), bad);
        }
    }

    @Test
    void errorBodiesAreGeneric() {
        assertEquals("503 Service Unavailable\n", new String(AdapterRules.errorBody(503)));
        assertEquals("599\n", new String(AdapterRules.errorBody(599)));
    }
}
