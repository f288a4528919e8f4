package dev.riscvsandbox.jetty.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The benchmark's native baseline ({@code /native}): in Java, the work that the benchmark tenant
 * ({@code guests/bench/hello_forge.c}, tenant {@code bench.example}) does behind {@code /riscv}. It copies the
 * request's headers and appends {@code X-Hello: url=<path and query>} to the copy (the tenant appends it to the
 * request it would send to a backend), then answers what the tenant forges: 200, {@code Content-Type:
 * application/json}, body {@code {"message":"Hello from RISC-V!"}}, with no {@code Cache-Control} (a cached forge
 * without a TTL adds none).
 */
final class NativeHello {
    /** The request attribute holding the edited copy of the request headers (so the work is not dead code). */
    static final String BACKEND_REQUEST_HEADERS = NativeHello.class.getName() + ".headers";
    static final String PATH = "/native";

    private static final HttpField CONTENT_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final byte[] BODY = "{\"message\":\"Hello from RISC-V!\"}".getBytes(StandardCharsets.US_ASCII);

    private NativeHello() {
    }

    static boolean handle(Request request, Response response, Callback callback) {
        HttpFields.Mutable bereq = HttpFields.build(request.getHeaders().size() + 1);
        for (HttpField f : request.getHeaders()) {
            bereq.add(f);
        }
        bereq.add("X-Hello", "url=" + request.getHttpURI().getPathQuery());
        request.setAttribute(BACKEND_REQUEST_HEADERS, bereq);

        response.setStatus(200);
        HttpFields.Mutable headers = response.getHeaders();
        headers.add(CONTENT_TYPE);
        headers.put(HttpHeader.CONTENT_LENGTH, BODY.length);
        response.write(true, ByteBuffer.wrap(BODY), callback);
        return true;
    }
}
