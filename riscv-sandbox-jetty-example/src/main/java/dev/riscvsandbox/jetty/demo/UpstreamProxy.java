package dev.riscvsandbox.jetty.demo;

import dev.riscvsandbox.host.AdapterRules;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
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
            byte[] body = AdapterRules.errorBody(502); // the adapters' generic error answer
            response.setStatus(502);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, AdapterRules.ERROR_CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
        request.setAttribute(TARGET, base);
        return super.handle(request, response, callback);
    }

    /** How long connecting to an upstream, an idle upstream connection, and a whole proxied exchange may take. */
    static final long CONNECT_TIMEOUT_MS = 5_000, IDLE_TIMEOUT_MS = 30_000, TOTAL_TIMEOUT_MS = 60_000;

    /**
     * Upstream timeouts (an upstream that trickles bytes cannot hold an edge thread forever), no {@code User-Agent}
     * of the proxy's own (the client's goes through), and a {@code Via} name that does not expose the host's.
     */
    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setConnectTimeout(CONNECT_TIMEOUT_MS);
        client.setIdleTimeout(IDLE_TIMEOUT_MS);
        client.setUserAgentField(null);
        setViaHost("riscv-sandbox");
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request request, HttpURI uri) {
        return super.newProxyToServerRequest(request, uri).timeout(TOTAL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code Forwarded} and {@code X-Forwarded-*} headers of the request are dropped, whoever set them (a client could
     * spoof them): this is the edge, so only the {@code Forwarded} header the proxy adds itself is true.
     */
    @Override
    protected void copyRequestHeaders(Request clientToProxyRequest,
                                      org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        proxyToServerRequest.headers(h -> {
            h.remove(HttpHeader.FORWARDED);
            h.remove(HttpHeader.X_FORWARDED_FOR);
            h.remove(HttpHeader.X_FORWARDED_HOST);
            h.remove(HttpHeader.X_FORWARDED_PROTO);
            h.remove(HttpHeader.X_FORWARDED_PORT);
            h.remove(HttpHeader.X_FORWARDED_SERVER);
        });
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
