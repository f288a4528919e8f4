package dev.riscvsandbox.jetty;

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
     * @throws IllegalArgumentException if the tenant's URL is not an origin-form path ({@code /...}) that Jetty
     *                                  accepts (for instance one that climbs above the root with {@code ..})
     */
    static EditedRequest of(Request request, HttpRequest edited) {
        String target = edited.uri();
        HttpURI uri = request.getHttpURI();
        if (!target.equals(uri.getPathQuery())) {
            if (!target.startsWith("/")) {
                throw new IllegalArgumentException("the tenant's URL is not a path: " + target);
            }
            uri = HttpURI.build(uri).pathQuery(target).asImmutable();
            if (uri.getCanonicalPath() == null || uri.isAmbiguous()) {
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
