package dev.riscvsandbox.jetty.demo;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo's built-in origin servers, one loopback port each, on one small Jetty server. Each answers every request
 * with plain text that names the origin and echoes what it received (method, path and query, {@code Host},
 * {@code X-Router}, and the other headers a tenant typically adds), so that a tenant's routing and edits are visible.
 */
final class Origins implements AutoCloseable {
    /** Request headers the origins echo when present, besides {@code Host}. */
    private static final List<String> ECHOED = List.of("X-Router", "X-Rewritten-From", "X-Authenticated",
            "X-Token-Id", "X-Request-Id", "X-Hello", "Authorization", "X-Forwarded-For", "Forwarded", "User-Agent");

    private final Server server;
    private final Map<String, URI> urls = new LinkedHashMap<>();

    private Origins(Server server) {
        this.server = server;
    }

    /** Starts one origin per name, each on an ephemeral loopback port. */
    static Origins start(List<String> names) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("demo-origin");
        Server server = new Server(pool);
        for (String name : names) {
            ServerConnector c = new ServerConnector(server, 1, 1);
            c.setHost("127.0.0.1");
            c.setPort(0);
            c.setName(name);
            server.addConnector(c);
        }
        server.setHandler(new Echo());
        Origins origins = new Origins(server);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        for (Connector c : server.getConnectors()) {
            origins.urls.put(c.getName(), URI.create("http://127.0.0.1:" + ((NetworkConnector) c).getLocalPort()));
        }
        return origins;
    }

    /** The origins' base URLs by name, in start order. */
    Map<String, URI> urls() {
        return urls;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class Echo extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String name = request.getConnectionMetaData().getConnector().getName();
            StringBuilder sb = new StringBuilder(256);
            sb.append("origin ").append(name).append(": ").append(request.getMethod()).append(' ')
                    .append(request.getHttpURI().getPathQuery()).append('\n');
            String host = request.getHeaders().get(HttpHeader.HOST);
            sb.append("Host: ").append(host == null ? "(none)" : host).append('\n');
            for (String h : ECHOED) {
                String v = request.getHeaders().get(h);
                if (v != null || h.equals("X-Router")) {
                    sb.append(h).append(": ").append(v == null ? "(none)" : v).append('\n');
                }
            }
            byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
            response.getHeaders().put("X-Origin", name);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
