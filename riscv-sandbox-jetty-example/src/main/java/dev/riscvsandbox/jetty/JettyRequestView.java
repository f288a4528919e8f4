package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The client request as tenant hooks see it. Headers are copied on first use; the body is read only if a forge
 * callback asks for it, and then at most {@code maxBody + 1} bytes (an oversized body is recognised and refused with
 * 413 without reading all of it). When the application runs instead, the body is untouched.
 */
final class JettyRequestView implements HttpRequest {
    private static final byte[] NO_BODY = new byte[0];

    private final Request request;
    private final long maxBody;
    private List<Header> headers;
    private byte[] body;

    JettyRequestView(Request request, long maxBody) {
        this.request = request;
        this.maxBody = maxBody;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String uri() {
        return request.getHttpURI().getPathQuery();
    }

    @Override
    public String protocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public List<Header> headers() {
        List<Header> h = headers;
        if (h == null) {
            h = new ArrayList<>(request.getHeaders().size());
            for (HttpField f : request.getHeaders()) {
                h.add(new Header(f.getName(), f.getValue() == null ? "" : f.getValue()));
            }
            h = Collections.unmodifiableList(h);
            headers = h;
        }
        return h;
    }

    /**
     * The body, read once (blocking), at most {@code maxBody + 1} bytes.
     *
     * @throws UncheckedIOException if reading fails (the client went away)
     */
    @Override
    public byte[] body() {
        byte[] b = body;
        if (b == null) {
            boolean none = AdapterRules.hasNoBody(request.getLength(),
                    request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING),
                    request.getConnectionMetaData().getProtocol());
            b = none ? NO_BODY : AdapterRules.readBody(Request.asInputStream(request), maxBody);
            body = b;
        }
        return b;
    }
}
