package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.AdapterRules;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the tenant whose program handles a request. The default, {@link #host()}, uses the request's server name
 * (the {@code Host} header, or the HTTP/2 authority), as the original Varnish module does.
 */
@FunctionalInterface
public interface TenantResolver {
    /** The tenant name for {@code request}, or empty if the request names none. */
    Optional<String> resolve(HttpServletRequest request);

    /**
     * The server name without the port, lower case and without a trailing dot: {@code Host: Customer1.com:8080}
     * selects tenant {@code customer1.com}.
     */
    static TenantResolver host() {
        return request -> Optional.of(AdapterRules.tenantFromServerName(request.getServerName()));
    }

    /** The value of request header {@code name}, as sent (empty if the header is missing or empty). */
    static TenantResolver header(String name) {
        Objects.requireNonNull(name, "name");
        return request -> Optional.ofNullable(request.getHeader(name)).filter(v -> !v.isEmpty());
    }

    /**
     * The request attribute {@code name}, for applications whose earlier filters decide the tenant (empty unless the
     * attribute is a non-empty {@link String}).
     */
    static TenantResolver attribute(String name) {
        Objects.requireNonNull(name, "name");
        return request -> request.getAttribute(name) instanceof String s && !s.isEmpty()
                ? Optional.of(s) : Optional.empty();
    }

    /**
     * The resolver an init parameter names: {@code host}, {@code header:NAME} or {@code attribute:NAME}.
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
