package dev.riscvsandbox.host;

import java.util.Optional;

/**
 * The outcome of the receive phase of a request (on_recv, then on_synth or the forge callback if the tenant asked for
 * them), which the adapter acts on. Guest failures are not results: they throw {@link HookException}.
 */
public sealed interface HookResult permits HookResult.Continue, HookResult.Synthetic, HookResult.Forged {
    /** The last decision the tenant made ({@link Decision#NONE} if none). */
    Decision decision();

    /** Caching hints the tenant gave. */
    CacheHints cacheHints();

    /**
     * Pass the request on to the application (or an upstream), as edited by the tenant.
     *
     * @param request the request with the tenant's edits (method, URL, headers); the original object if unchanged
     * @param changed whether the tenant changed anything in the request
     * @param backend the upstream the tenant chose ({@code set_backend}), if any
     */
    record Continue(HttpRequest request, boolean changed, Optional<String> backend, Decision decision,
                    CacheHints cacheHints) implements HookResult {
    }

    /** Answer with a synthetic response ({@code decision("synth", status)} or {@code synth(...)}). */
    record Synthetic(HttpResponse response, Decision decision, CacheHints cacheHints) implements HookResult {
    }

    /**
     * Answer with the response the tenant's forge callback produced.
     *
     * @param cached whether the tenant allowed caching it ({@code Cached}) or not ({@code Uncached})
     */
    record Forged(HttpResponse response, boolean cached, Decision decision, CacheHints cacheHints)
            implements HookResult {
    }
}
