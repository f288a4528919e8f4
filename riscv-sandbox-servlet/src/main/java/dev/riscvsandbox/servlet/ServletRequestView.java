package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The client request as tenant hooks see it. Headers are copied on first use; the body is read only if a forge
 * callback asks for it, and then at most {@code maxBody + 1} bytes (one more than the tenant accepts, so an oversized
 * body is recognised and refused with 413 without reading all of it). When the application runs instead, the body is
 * untouched and the application reads it as usual.
 */
final class ServletRequestView implements HttpRequest {
    private static final byte[] NO_BODY = new byte[0];

    private final HttpServletRequest request;
    private final long maxBody;
    private List<Header> headers;
    private byte[] body;

    ServletRequestView(HttpServletRequest request, long maxBody) {
        this.request = request;
        this.maxBody = maxBody;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String uri() {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    @Override
    public String protocol() {
        return request.getProtocol();
    }

    @Override
    public List<Header> headers() {
        List<Header> h = headers;
        if (h == null) {
            h = new ArrayList<>();
            for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                    h.add(new Header(name, values.nextElement()));
                }
            }
            h = Collections.unmodifiableList(h);
            headers = h;
        }
        return h;
    }

    /**
     * The body, read once, at most {@code maxBody + 1} bytes.
     *
     * @throws UncheckedIOException if reading fails (the client went away)
     */
    @Override
    public byte[] body() {
        byte[] b = body;
        if (b == null) {
            try {
                boolean none = AdapterRules.hasNoBody(request.getContentLengthLong(),
                        request.getHeader("Transfer-Encoding") != null, request.getProtocol());
                b = none ? NO_BODY : AdapterRules.readBody(request.getInputStream(), maxBody);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body failed: " + e.getMessage(), e);
            }
            body = b;
        }
        return b;
    }
}
