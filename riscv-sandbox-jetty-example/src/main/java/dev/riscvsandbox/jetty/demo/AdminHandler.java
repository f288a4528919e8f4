package dev.riscvsandbox.jetty.demo;

import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.NoSuchElementException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The live-update endpoint, served on its own loopback port only (never the public one).
 * <ul>
 *   <li>{@code POST /tenants/{name}} with {@code Authorization: Bearer <token>} and an ELF body replaces the tenant's
 *       program ({@link Sandbox#update}): 200 on success; 422 with the reason if the new program does not load (the
 *       old one keeps serving); 404 for a name that is not a configured tenant; 413 for a body over the cap.
 *   <li>{@code GET /tenants} lists the configured tenants, loaded or not.
 * </ul>
 * A missing or wrong token is 401 (compared in constant time); other methods are 405, other paths 404.
 */
final class AdminHandler extends Handler.Abstract {
    private static final Logger LOG = System.getLogger(AdminHandler.class.getName());
    private static final String PREFIX = "/tenants/";

    private final Sandbox sandbox;
    private final byte[] tokenDigest;
    private final long maxBody;

    AdminHandler(Sandbox sandbox, String token, long maxBody) {
        this.sandbox = sandbox;
        this.tokenDigest = sha256(token.strip());
        this.maxBody = maxBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getDecodedPath();
        if (path == null || !(path.equals("/tenants") || path.startsWith(PREFIX))) {
            return refuse(response, callback, 404, "{\"error\":\"not found\"}");
        }
        if (!authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return refuse(response, callback, 401, "{\"error\":\"missing or wrong token\"}");
        }
        if (path.equals("/tenants")) {
            if (!request.getMethod().equals("GET")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET");
                return refuse(response, callback, 405, "{\"error\":\"method not allowed\"}");
            }
            return reply(response, callback, 200, list());
        }
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return refuse(response, callback, 405, "{\"error\":\"method not allowed\"}");
        }
        String name = path.substring(PREFIX.length());
        if (!sandbox.configuredTenants().containsKey(name)) {
            return refuse(response, callback, 404, noSuchTenant(name));
        }
        long declared = request.getLength();
        if (declared > maxBody) {
            return refuse(response, callback, 413, "{\"error\":\"the program exceeds " + maxBody + " bytes\"}");
        }
        byte[] elf;
        try (InputStream in = Request.asInputStream(request)) {
            elf = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
        }
        if (elf.length > maxBody) {
            return refuse(response, callback, 413, "{\"error\":\"the program exceeds " + maxBody + " bytes\"}");
        }
        try {
            boolean handedOver = sandbox.update(name, elf);
            LOG.log(Level.INFO, "admin: tenant ''{0}'' updated with {1} bytes", name, elf.length);
            return reply(response, callback, 200, "{\"tenant\":" + Json.quote(name) + ",\"updated\":true,\"bytes\":"
                    + elf.length + ",\"stateHandedOver\":" + handedOver + "}");
        } catch (TenantLoadException e) {
            LOG.log(Level.WARNING, "admin: update of tenant ''{0}'' refused, the old program keeps serving: {1}",
                    name, e.getMessage());
            return reply(response, callback, 422, "{\"tenant\":" + Json.quote(name)
                    + ",\"updated\":false,\"error\":" + Json.quote(e.getMessage()) + "}");
        } catch (NoSuchElementException e) {
            return refuse(response, callback, 404, noSuchTenant(name));
        }
    }

    private static String noSuchTenant(String name) {
        return "{\"error\":\"no such tenant\",\"tenant\":" + Json.quote(name) + "}";
    }

    private String list() {
        StringBuilder sb = new StringBuilder("{");
        Map<String, TenantLoadException> errors = sandbox.loadErrors();
        boolean first = true;
        for (String name : sandbox.configuredTenants().keySet()) {
            sb.append(first ? "" : ",").append(Json.quote(name)).append(':');
            first = false;
            TenantLoadException e = errors.get(name);
            if (sandbox.tenant(name).isPresent()) {
                sb.append("{\"loaded\":true}");
            } else {
                sb.append("{\"loaded\":false,\"error\":")
                        .append(Json.quote(e == null ? "not loaded" : e.getMessage())).append('}');
            }
        }
        return sb.append('}').toString();
    }

    private boolean authorized(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // digests of equal length: the comparison takes the same time whatever the token and however it differs
        return MessageDigest.isEqual(tokenDigest, sha256(auth.substring(7).strip()));
    }

    /**
     * Answers without having read the request body, and closes the connection: Jetty cannot reuse it with an unread
     * body, and a client told so in advance does not send its next request on it.
     */
    private static boolean refuse(Response response, Callback callback, int status, String json) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        return reply(response, callback, status, json);
    }

    private static boolean reply(Response response, Callback callback, int status, String json) {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Just enough JSON for the admin answers. */
    static final class Json {
        private Json() {
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
    }
}
