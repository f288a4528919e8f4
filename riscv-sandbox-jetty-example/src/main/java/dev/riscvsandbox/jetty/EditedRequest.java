package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * The request the wrapped handler sees after on_recv changed it: the tenant's method, URL (path and query) and
 * headers. The body and its framing headers stay the client's.
 */
final class EditedRequest extends Request.Wrapper {
    private final String method;
    private final HttpURI uri;
    private final HttpFields headers;

    private EditedRequest(Request request, String method, HttpURI uri, HttpFields headers) {
        super(request);
        this.method = method;
        this.uri = uri;
        this.headers = headers;
    }

    /**
     * {@code request} with {@code edited}'s method, URL and headers.
     *
     * @throws IllegalArgumentException if the tenant's URL breaks {@link AdapterRules#rewriteRefusal}'s rules or Jetty
     *                                  finds any violation or ambiguity in it
     */
    static EditedRequest of(Request request, HttpRequest edited) {
        String target = edited.uri();
        HttpURI uri = request.getHttpURI();
        if (!target.equals(uri.getPathQuery())) {
            String refusal = AdapterRules.rewriteRefusal(target);
            if (refusal != null) {
                throw new IllegalArgumentException("the tenant's URL " + target + " " + refusal);
            }
            uri = HttpURI.build(uri).pathQuery(target).asImmutable();
            // stricter than for clients: no ambiguity and no compliance violation at all (backslashes, bad UTF-8,
            // fragments, ..), whatever the connector's UriCompliance allows
            if (uri.getCanonicalPath() == null || uri.isAmbiguous() || uri.hasViolations()) {
                throw new IllegalArgumentException("the tenant's URL is not a valid path: " + target);
            }
        }
        HttpFields.Mutable fields = HttpFields.build(edited.headers().size());
        for (Header h : edited.headers()) {
            fields.add(h.name(), h.value());
        }
        return new EditedRequest(request, edited.method(), uri, fields.asImmutable());
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public HttpURI getHttpURI() {
        return uri;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }
}
