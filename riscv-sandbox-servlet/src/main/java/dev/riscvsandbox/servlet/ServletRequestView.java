package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.LazyRequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/** The client request as tenant hooks see it (see {@link LazyRequestView} for when headers and body are read). */
final class ServletRequestView extends LazyRequestView {
    private final HttpServletRequest request;

    ServletRequestView(HttpServletRequest request, long maxBody) {
        super(maxBody);
        this.request = request;
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
    protected List<Header> readHeaders() {
        List<Header> h = new ArrayList<>();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                h.add(new Header(name, values.nextElement()));
            }
        }
        return h;
    }

    @Override
    protected boolean hasNoBody() {
        return AdapterRules.hasNoBody(request.getContentLengthLong(), request.getHeader("Transfer-Encoding") != null,
                request.getProtocol());
    }

    @Override
    protected InputStream openBody() throws IOException {
        return request.getInputStream();
    }
}
