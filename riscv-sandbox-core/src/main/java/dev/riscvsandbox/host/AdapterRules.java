package dev.riscvsandbox.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The rules every web-framework adapter (the servlet filter, the Jetty handler) applies the same way, so that a tenant
 * behaves identically behind either: how a tenant is named from the request's host, the request attributes that carry
 * the tenant's choices to the application, what a forged response's caching decision becomes on the wire, how
 * on_deliver's edits are applied, which headers a tenant may never set, and what a client sees when a hook fails.
 */
public final class AdapterRules {
    /** Request attribute: the tenant's name ({@link String}), set when a tenant handled the request. */
    public static final String ATTRIBUTE_TENANT = "dev.riscvsandbox.tenant";
    /** Request attribute: the upstream the tenant chose with {@code set_backend} ({@link String}), if any. */
    public static final String ATTRIBUTE_BACKEND = "dev.riscvsandbox.backend";
    /** Request attribute: the tenant's last decision ({@link Decision}), if it made one. */
    public static final String ATTRIBUTE_DECISION = "dev.riscvsandbox.decision";
    /** Request attribute: the tenant's caching hints ({@link CacheHints}), if it gave any. */
    public static final String ATTRIBUTE_CACHE_HINTS = "dev.riscvsandbox.cacheHints";

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
     * A tenant selector as configuration spells it: {@code host}, {@code header:NAME} or {@code attribute:NAME}.
     *
     * @param kind {@code "host"}, {@code "header"} or {@code "attribute"}
     * @param name the header or attribute name ({@code ""} for {@code host})
     */
    public record Selector(String kind, String name) {
        /**
         * Parses {@code spec}, ignoring surrounding spaces.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Selector parse(String spec) {
            String s = spec.trim();
            if (s.equals("host")) {
                return new Selector("host", "");
            }
            int colon = s.indexOf(':');
            if (colon > 0 && colon < s.length() - 1) {
                String kind = s.substring(0, colon).trim();
                String name = s.substring(colon + 1).trim();
                if ((kind.equals("header") || kind.equals("attribute")) && !name.isEmpty()) {
                    return new Selector(kind, name);
                }
            }
            throw new IllegalArgumentException("tenant selector must be 'host', 'header:NAME' or 'attribute:NAME', "
                    + "not '" + spec + "'");
        }
    }

    /**
     * Hands the tenant's choices to the application as request attributes: {@link #ATTRIBUTE_TENANT} always,
     * {@link #ATTRIBUTE_BACKEND}, {@link #ATTRIBUTE_DECISION} and {@link #ATTRIBUTE_CACHE_HINTS} when the tenant
     * chose one.
     *
     * @param setAttribute the framework's {@code setAttribute(name, value)}
     */
    public static void setAttributes(String tenant, HookResult.Continue c, BiConsumer<String, Object> setAttribute) {
        setAttribute.accept(ATTRIBUTE_TENANT, tenant);
        c.backend().ifPresent(b -> setAttribute.accept(ATTRIBUTE_BACKEND, b));
        if (c.decision().isPresent()) {
            setAttribute.accept(ATTRIBUTE_DECISION, c.decision());
        }
        if (!c.cacheHints().isEmpty()) {
            setAttribute.accept(ATTRIBUTE_CACHE_HINTS, c.cacheHints());
        }
    }

    /**
     * Whether a request certainly has no body, known from its head without reading (RFC 9112 §6.3): a
     * {@code Content-Length} of 0, or an HTTP/1.x request with neither {@code Content-Length} nor
     * {@code Transfer-Encoding}. Adapters then skip the read: reading an empty body through a container's input
     * stream is not free (Jetty takes the channel's lock and may wake another thread).
     *
     * @param contentLength the declared length, or -1 if none
     * @param chunked       whether the request has a {@code Transfer-Encoding} header
     * @param protocol      the protocol, such as {@code HTTP/1.1}
     */
    public static boolean hasNoBody(long contentLength, boolean chunked, String protocol) {
        if (contentLength >= 0) {
            return contentLength == 0;
        }
        return !chunked && protocol.startsWith("HTTP/1.");
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
     * One header name whose values on_deliver changed: set it to {@code values} (in order), or remove it if
     * {@code values} is empty.
     *
     * @param name   the name as the tenant (or, for a removal, the application) spelled it
     * @param values the new values
     */
    public record HeaderChange(String name, List<String> values) {
        public HeaderChange {
            values = List.copyOf(values);
        }
    }

    /**
     * What an adapter must do to a live response head to turn {@code before} into {@code after}: the header names
     * whose values differ, framing headers excluded (they are never taken from a tenant). Names compare ignoring case;
     * a name's values compare in order.
     */
    public static List<HeaderChange> headerChanges(HttpResponse before, HttpResponse after) {
        Map<String, HeaderChange> was = byName(before.headers());
        Map<String, HeaderChange> now = byName(after.headers());
        List<HeaderChange> changes = new ArrayList<>();
        for (Map.Entry<String, HeaderChange> e : now.entrySet()) {
            HeaderChange old = was.get(e.getKey());
            if (old == null || !old.values().equals(e.getValue().values())) {
                changes.add(e.getValue());
            }
        }
        for (Map.Entry<String, HeaderChange> e : was.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                changes.add(new HeaderChange(e.getValue().name(), List.of()));
            }
        }
        return changes;
    }

    private static Map<String, HeaderChange> byName(List<Header> headers) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, String> spelling = new LinkedHashMap<>();
        for (Header h : headers) {
            if (!isFraming(h)) {
                String key = h.name().toLowerCase(Locale.ROOT);
                spelling.putIfAbsent(key, h.name());
                values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(h.value());
            }
        }
        Map<String, HeaderChange> m = new LinkedHashMap<>();
        values.forEach((key, v) -> m.put(key, new HeaderChange(spelling.get(key), v)));
        return m;
    }

    /**
     * Why a URL the tenant rewrote the request to may not be used, or {@code null} if it may. Adapters hand a rewritten
     * URL to routing that trusts it more than a client's (a servlet forward skips security constraints), so it must be
     * plain: a path ({@code /...}) with an optional query; no fragment, backslash, {@code ;} path parameter or control
     * character; no empty (but the last), {@code .} or {@code ..} segment; no percent-encoded {@code /}, {@code \}, {@code .},
     * {@code ;} or control character; valid UTF-8 once decoded.
     */
    public static String rewriteRefusal(String uri) {
        if (!uri.startsWith("/")) {
            return "is not a path";
        }
        int q = uri.indexOf('?');
        int pathEnd = q < 0 ? uri.length() : q;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '#' || c == '\\' || (c == ';' && i < pathEnd)) {
                return "has a character a rewrite may not use (a control character, #, \\ or ; in the path)";
            }
        }
        String decoded;
        try {
            decoded = decodePath(uri.substring(0, pathEnd));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String[] segments = decoded.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && i < segments.length - 1)) {
                return "has an empty, . or .. segment"; // a trailing slash is fine, a double one is not
            }
        }
        return null;
    }

    /**
     * Why a client's request path is not in normal form, or {@code null} if it is. Tenants see the path as sent, and
     * whatever runs after them (a servlet container, an upstream behind a proxy) may normalise it first, so a path
     * with {@code .} or {@code ..} segments, or with percent-encoded unreserved characters ({@code %61} for
     * {@code a}), could pass a tenant's rule ({@code /admin} forbidden) and still reach what the rule forbids
     * ({@code /x/../admin}, {@code /%61dmin}). Adapters answer such requests 400 before any hook runs. Well-behaved
     * clients never send them (RFC 3986 §5.2.4, §6.2.2.2).
     *
     * @param rawPath the path as sent, without the query
     */
    public static String clientPathRefusal(String rawPath) {
        int segmentStart = 0;
        for (int i = 0; i <= rawPath.length(); i++) {
            if (i == rawPath.length() || rawPath.charAt(i) == '/') {
                int n = i - segmentStart; // a segment of "." or "..", compared in place: this runs on every request
                if ((n == 1 || n == 2) && rawPath.regionMatches(segmentStart, "..", 0, n)) {
                    return "has a . or .. segment";
                }
                segmentStart = i + 1;
            } else if (rawPath.charAt(i) == '%' && i + 2 < rawPath.length()) {
                int hi = Character.digit(rawPath.charAt(i + 1), 16);
                int lo = Character.digit(rawPath.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    char c = (char) (hi << 4 | lo);
                    if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
                        return "percent-encodes an unreserved character";
                    }
                }
            }
        }
        return null;
    }

    /**
     * The percent-decoded (UTF-8) form of a path that {@link #rewriteRefusal} accepted.
     *
     * @throws IllegalArgumentException if the encoding is broken or encodes a separator, dot, semicolon or control
     *                                  character
     */
    public static String decodePath(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                continue;
            }
            int hi = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
            int lo = i + 2 < path.length() ? Character.digit(path.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("has an invalid percent-encoding");
            }
            int v = hi << 4 | lo;
            if (v == '/' || v == '\\' || v == '.' || v == ';' || v < 0x20 || v == 0x7f) {
                throw new IllegalArgumentException("percent-encodes a separator, dot, semicolon or control character");
            }
            bytes.write(v);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("is not valid UTF-8 once decoded");
        }
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
