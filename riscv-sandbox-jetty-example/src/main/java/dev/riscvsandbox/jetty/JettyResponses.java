package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.HttpSyntax;
import dev.riscvsandbox.host.InMemoryResponse;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Moves response heads and bodies between Jetty responses and the sandbox's {@link HttpResponse}. */
final class JettyResponses {
    private JettyResponses() {
    }

    /** The head of {@code response} as the application has set it so far, framing headers left out. */
    static HttpResponse head(Response response) {
        int status = response.getStatus();
        InMemoryResponse.Builder b = InMemoryResponse.builder().status(status <= 0 ? 200 : status);
        for (HttpField f : response.getHeaders()) {
            String name = f.getName();
            String value = f.getValue() == null ? "" : f.getValue();
            if (!AdapterRules.isFraming(name) && HttpSyntax.isToken(name) && HttpSyntax.isSafeText(value)) {
                b.header(name, value);
            }
        }
        return b.build();
    }

    /** Applies the differences between {@code before} and {@code after} (status and headers) to {@code response}. */
    static void applyHead(Response response, HttpResponse before, HttpResponse after) {
        if (after.status() != before.status()) {
            response.setStatus(after.status());
        }
        HttpFields.Mutable fields = response.getHeaders();
        for (AdapterRules.HeaderChange c : AdapterRules.headerChanges(before, after)) {
            fields.remove(c.name());
            for (String v : c.values()) {
                fields.add(c.name(), v);
            }
        }
    }

    /**
     * Writes a complete response produced by the tenant (synthetic or forged) and completes {@code callback}: status,
     * headers except framing ones, {@code cacheControl} if present, and the body with its length.
     */
    static void write(Response response, Callback callback, HttpResponse r, Optional<String> cacheControl) {
        response.setStatus(r.status());
        HttpFields.Mutable fields = response.getHeaders();
        for (Header h : r.headers()) {
            if (!AdapterRules.isFraming(h)) {
                fields.add(h.name(), h.value());
            }
        }
        cacheControl.ifPresent(v -> fields.put(HttpHeader.CACHE_CONTROL, v));
        writeBody(response, callback, r.body());
    }

    /** Answers {@code status} with the generic error body; nothing about the tenant's failure reaches the client. */
    static void writeError(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, AdapterRules.ERROR_CONTENT_TYPE);
        writeBody(response, callback, AdapterRules.errorBody(status));
    }

    private static void writeBody(Response response, Callback callback, byte[] body) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
