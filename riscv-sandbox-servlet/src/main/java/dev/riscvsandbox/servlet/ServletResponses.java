package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.HttpSyntax;
import dev.riscvsandbox.host.InMemoryResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Moves response heads and bodies between servlet responses and the sandbox's {@link HttpResponse}. */
final class ServletResponses {
    private ServletResponses() {
    }

    /**
     * The head of {@code response} as the application has set it so far, with {@code status} as its status and, if
     * not null, {@code location} as its {@code Location} header (a redirect about to be sent). Framing headers are
     * left out: on_deliver never sees or changes them.
     */
    static HttpResponse head(HttpServletResponse response, int status, String location) {
        InMemoryResponse.Builder b = InMemoryResponse.builder().status(status);
        boolean contentType = false;
        for (String name : new ArrayList<>(response.getHeaderNames())) {
            if (AdapterRules.isFraming(name) || (location != null && name.equalsIgnoreCase("Location"))) {
                continue;
            }
            contentType |= name.equalsIgnoreCase("Content-Type");
            for (String value : response.getHeaders(name)) {
                if (HttpSyntax.isToken(name) && HttpSyntax.isSafeText(value)) { // the container would not send it
                    b.header(name, value);
                }
            }
        }
        if (!contentType && response.getContentType() != null) {
            b.header("Content-Type", response.getContentType());
        }
        if (location != null && HttpSyntax.isSafeText(location)) {
            b.header("Location", location);
        }
        return b.build();
    }

    /** Applies the differences between {@code before} and {@code after} (status and headers) to {@code response}. */
    static void applyHead(HttpServletResponse response, HttpResponse before, HttpResponse after) {
        if (after.status() != before.status()) {
            response.setStatus(after.status());
        }
        for (AdapterRules.HeaderChange c : AdapterRules.headerChanges(before, after)) {
            set(response, c.name(), c.values());
        }
    }

    private static void set(HttpServletResponse response, String name, List<String> values) {
        if (name.equalsIgnoreCase("Content-Type")) {
            response.setContentType(values.isEmpty() ? null : values.get(0));
            return;
        }
        if (values.isEmpty()) {
            response.setHeader(name, null); // removes it (Servlet 6)
            return;
        }
        response.setHeader(name, values.get(0));
        for (int i = 1; i < values.size(); i++) {
            response.addHeader(name, values.get(i));
        }
    }

    /**
     * Writes a complete response produced by the tenant (synthetic or forged): status, headers except framing ones,
     * {@code cacheControl} if present, and the body with its length.
     */
    static void write(HttpServletResponse response, HttpResponse r, Optional<String> cacheControl)
            throws IOException {
        response.setStatus(r.status());
        for (Header h : r.headers()) {
            if (AdapterRules.isFraming(h)) {
                continue;
            }
            if (h.is("Content-Type")) {
                response.setContentType(h.value());
            } else {
                response.addHeader(h.name(), h.value());
            }
        }
        cacheControl.ifPresent(v -> response.setHeader(AdapterRules.CACHE_CONTROL, v));
        writeBody(response, r.body());
    }

    /** Answers {@code status} with the generic error body; nothing about the tenant's failure reaches the client. */
    static void writeError(HttpServletResponse response, int status) throws IOException {
        response.setStatus(status);
        response.setContentType(AdapterRules.ERROR_CONTENT_TYPE);
        writeBody(response, AdapterRules.errorBody(status));
    }

    private static void writeBody(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentLength(body.length);
        if (body.length > 0) {
            try {
                response.getOutputStream().write(body);
            } catch (IllegalStateException usedWriter) { // the application took the writer before a failed hook
                response.getWriter().write(new String(body, Objects.requireNonNullElse(
                        response.getCharacterEncoding(), "ISO-8859-1")));
            }
        }
    }
}
