package dev.riscvsandbox.jetty.demo;

import dev.riscvsandbox.host.AdapterRules;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The demo's application: a reverse proxy to the upstream the tenant chose ({@link AdapterRules#ATTRIBUTE_BACKEND},
 * set by {@code set_backend}), or to the default upstream when it chose none. Jetty's {@link ProxyHandler} streams
 * status, headers and body both ways, drops hop-by-hop headers (and those named in {@code Connection}), adds
 * {@code Via} and {@code Forwarded}, and answers 502 when the upstream cannot be reached (504 when it does not answer
 * in time). A backend name with no configured upstream is answered 502 as well, without contacting anything.
 */
final class UpstreamProxy extends ProxyHandler {
    static final Logger LOG = System.getLogger(UpstreamProxy.class.getName());
    private static final String TARGET = UpstreamProxy.class.getName() + ".target";

    private final Map<String, URI> upstreams;
    private final String defaultUpstream;

    /**
     * @param upstreams       base URLs ({@code http://host:port}) by backend name
     * @param defaultUpstream the upstream of requests without a backend
     */
    UpstreamProxy(Map<String, URI> upstreams, String defaultUpstream) {
        this.upstreams = Map.copyOf(upstreams);
        this.defaultUpstream = defaultUpstream;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object chosen = request.getAttribute(AdapterRules.ATTRIBUTE_BACKEND);
        String name = chosen instanceof String ? (String) chosen : defaultUpstream;
        URI base = upstreams.get(name);
        if (base == null) {
            LOG.log(Level.WARNING, "tenant ''{0}'' chose backend ''{1}'', which is not configured: answered 502",
                    request.getAttribute(AdapterRules.ATTRIBUTE_TENANT), name);
            byte[] body = "502 Bad Gateway\n".getBytes(StandardCharsets.US_ASCII);
            response.setStatus(502);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=us-ascii");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
        request.setAttribute(TARGET, base);
        return super.handle(request, response, callback);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request request) {
        URI base = (URI) request.getAttribute(TARGET);
        return HttpURI.build(request.getHttpURI())
                .scheme(base.getScheme())
                .host(base.getHost())
                .port(base.getPort())
                .asImmutable();
    }
}
