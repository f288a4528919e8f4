package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.LazyRequestView;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The client request as tenant hooks see it (see {@link LazyRequestView} for when headers and body are read). The body
 * is read with blocking reads, which is why {@link RiscvSandboxHandler} is a blocking handler.
 */
final class JettyRequestView extends LazyRequestView {
    private final Request request;

    JettyRequestView(Request request, long maxBody) {
        super(maxBody);
        this.request = request;
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
    protected List<Header> readHeaders() {
        List<Header> h = new ArrayList<>(request.getHeaders().size());
        for (HttpField f : request.getHeaders()) {
            h.add(new Header(f.getName(), f.getValue() == null ? "" : f.getValue()));
        }
        return h;
    }

    @Override
    protected boolean hasNoBody() {
        return AdapterRules.hasNoBody(request.getLength(),
                request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING), protocol());
    }

    @Override
    protected InputStream openBody() {
        return Request.asInputStream(request);
    }
}
