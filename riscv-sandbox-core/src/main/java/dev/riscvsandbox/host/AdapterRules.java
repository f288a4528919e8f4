package dev.riscvsandbox.host;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules every web-framework adapter (the servlet filter, the Jetty handler) applies the same way, so that a tenant
 * behaves identically behind either: how a tenant is named from the request's host, what a forged response's caching
 * decision becomes on the wire, which headers a tenant may never set, and what a client sees when a hook fails.
 */
public final class AdapterRules {
    /** The header a forged response's caching decision is expressed in. */
    public static final String CACHE_CONTROL = "Cache-Control";
    /** What an {@code Uncached} forged response carries unless the tenant set its own {@value #CACHE_CONTROL}. */
    public static final String UNCACHED = "no-store";

    private AdapterRules() {
    }

    /**
     * The tenant name for a request's server name (the {@code Host} header or HTTP/2 authority without the port):
     * lower case, without a trailing dot, so {@code Customer1.COM.} selects {@code customer1.com}.
     */
    public static String tenantFromServerName(String serverName) {
        String s = serverName.toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The {@value #CACHE_CONTROL} value to add to a forged response, if any. A tenant that set {@value #CACHE_CONTROL}
     * itself keeps it. Otherwise {@code Uncached} becomes {@value #UNCACHED}; {@code Cached} becomes
     * {@code max-age=TTL} when the tenant set a TTL ({@code set_cacheable}/{@code set_ttl}), {@value #UNCACHED} when it
     * marked the response uncacheable, and nothing (the client's or proxy's defaults apply) when it said no more.
     */
    public static Optional<String> cacheControl(HookResult.Forged forged) {
        if (forged.response().header(CACHE_CONTROL).isPresent()) {
            return Optional.empty();
        }
        if (!forged.cached() || forged.cacheHints().cacheable().orElse(Boolean.TRUE) == Boolean.FALSE) {
            return Optional.of(UNCACHED);
        }
        if (forged.cacheHints().ttl().isPresent()) {
            double ttl = forged.cacheHints().ttl().getAsDouble();
            long seconds = ttl >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (long) Math.max(0, Math.floor(ttl));
            return Optional.of("max-age=" + seconds);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code h} is a framing header ({@code Content-Length}, {@code Transfer-Encoding}). Adapters frame bodies
     * themselves and never copy these from a tenant's response.
     */
    public static boolean isFraming(Header h) {
        return h.is("Content-Length") || h.is("Transfer-Encoding");
    }

    /** Whether {@code name} names a framing header (see {@link #isFraming(Header)}). */
    public static boolean isFraming(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding");
    }

    /**
     * The body sent to the client for an error status the adapter produced itself (an unknown tenant, a failed hook):
     * the status and its reason phrase, as plain text. Generic by design: guest error details go to the log only.
     */
    public static byte[] errorBody(int status) {
        String reason = HttpSyntax.reasonPhrase(status);
        String line = reason.isEmpty() ? Integer.toString(status) : status + " " + reason;
        return (line + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The content type of {@link #errorBody(int)}. */
    public static final String ERROR_CONTENT_TYPE = "text/plain;charset=us-ascii";
}
