package dev.riscvsandbox.host;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a tenant said about caching. Servlet and Jetty hosts have no Varnish cache, so these are hints for whatever
 * cache the host has: bans and purges to apply, whether and how long the response may be cached, and the cache key
 * the tenant computed with {@code hash_data}.
 *
 * @param bans      ban expressions, in the order the tenant issued them
 * @param purge     whether the tenant asked to purge the current object
 * @param cacheable whether the response may be cached, if the tenant said so
 * @param ttl       how long, in seconds, if the tenant said so
 * @param hashKey   the SHA-256 of everything passed to {@code hash_data}, if the tenant called it
 */
public record CacheHints(List<String> bans, boolean purge, Optional<Boolean> cacheable, OptionalDouble ttl,
                         Optional<byte[]> hashKey) {
    /** No hints. */
    public static final CacheHints NONE = new CacheHints(List.of(), false, Optional.empty(), OptionalDouble.empty(),
            Optional.empty());

    public CacheHints {
        bans = List.copyOf(bans);
    }

    /** Whether the tenant gave any hint. */
    public boolean isEmpty() {
        return bans.isEmpty() && !purge && cacheable.isEmpty() && ttl.isEmpty() && hashKey.isEmpty();
    }
}
