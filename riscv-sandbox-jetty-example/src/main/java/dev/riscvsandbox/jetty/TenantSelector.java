package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.AdapterRules;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Chooses the tenant whose program handles a request. The default, {@link #host()}, uses the request's server name
 * (the {@code Host} header, or the HTTP/2 authority), as the original Varnish module does.
 */
@FunctionalInterface
public interface TenantSelector {
    /** The tenant name for {@code request}, or empty if the request names none. */
    Optional<String> select(Request request);

    /**
     * The server name without the port, lower case and without a trailing dot: {@code Host: Customer1.com:8080}
     * selects tenant {@code customer1.com}.
     */
    static TenantSelector host() {
        return request -> Optional.of(AdapterRules.tenantFromServerName(Request.getServerName(request)));
    }

    /** The value of request header {@code name}, as sent (empty if the header is missing or empty). */
    static TenantSelector header(String name) {
        Objects.requireNonNull(name, "name");
        return request -> Optional.ofNullable(request.getHeaders().get(name)).filter(v -> !v.isEmpty());
    }
}
