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
public interface TenantResolver {
    /** The tenant name for {@code request}, or empty if the request names none. */
    Optional<String> resolve(Request request);

    /**
     * The server name without the port, lower case and without a trailing dot: {@code Host: Customer1.com:8080}
     * selects tenant {@code customer1.com}.
     */
    static TenantResolver host() {
        return request -> Optional.of(AdapterRules.tenantFromServerName(Request.getServerName(request)));
    }

    /** The value of request header {@code name}, as sent (empty if the header is missing or empty). */
    static TenantResolver header(String name) {
        Objects.requireNonNull(name, "name");
        return request -> Optional.ofNullable(request.getHeaders().get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * The request attribute {@code name}, for servers whose earlier handlers decide the tenant (empty unless the
     * attribute is a non-empty {@link String}).
     */
    static TenantResolver attribute(String name) {
        Objects.requireNonNull(name, "name");
        return request -> request.getAttribute(name) instanceof String s && !s.isEmpty()
                ? Optional.of(s) : Optional.empty();
    }

    /**
     * The resolver a configuration value names, as for the servlet filter: {@code host}, {@code header:NAME} or
     * {@code attribute:NAME}.
     *
     * @throws IllegalArgumentException for anything else
     */
    static TenantResolver parse(String spec) {
        AdapterRules.Selector s = AdapterRules.Selector.parse(spec);
        switch (s.kind()) {
            case "header": return header(s.name());
            case "attribute": return attribute(s.name());
            default: return host();
        }
    }
}
