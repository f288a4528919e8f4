package dev.riscvsandbox.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;

/**
 * The base of an adapter's view of its framework's request: headers are copied on first use, and the body is read
 * only if a forge callback asks for it, and then at most {@code maxBody + 1} bytes: one more than the tenant accepts,
 * so that an oversized body is recognised (and refused with 413) without reading all of it. It is not read at all when
 * the head says there is none ({@link AdapterRules#hasNoBody}). When the application runs instead, the
 * body is untouched and the application reads it as usual. One request, one thread.
 */
public abstract class LazyRequestView implements HttpRequest {
    private static final byte[] NO_BODY = new byte[0];

    private final long maxBody;
    private List<Header> headers;
    private byte[] body;

    /** @param maxBody the most body bytes the tenant accepts ({@code max_request_body}) */
    protected LazyRequestView(long maxBody) {
        this.maxBody = maxBody;
    }

    /** The framework's header lines, in order. */
    protected abstract List<Header> readHeaders();

    /** Whether the request certainly has no body (usually {@link AdapterRules#hasNoBody}). */
    protected abstract boolean hasNoBody();

    /** The framework's body stream. */
    protected abstract InputStream openBody() throws IOException;

    @Override
    public final List<Header> headers() {
        List<Header> h = headers;
        if (h == null) {
            h = Collections.unmodifiableList(readHeaders());
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
    public final byte[] body() {
        byte[] b = body;
        if (b == null) {
            try {
                if (hasNoBody()) {
                    b = NO_BODY;
                } else {
                    try (InputStream in = openBody()) {
                        b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body failed: " + e.getMessage(), e);
            }
            body = b;
        }
        return b;
    }
}
