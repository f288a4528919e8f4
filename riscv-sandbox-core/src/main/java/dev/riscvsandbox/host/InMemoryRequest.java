package dev.riscvsandbox.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable request held in memory, for tests, embedders and the CLI. Built with {@link #builder()}; every part is
 * validated ({@link HttpSyntax}).
 */
public final class InMemoryRequest implements HttpRequest {
    private static final byte[] EMPTY = new byte[0];

    private final String method;
    private final String uri;
    private final String protocol;
    private final List<Header> headers;
    private final byte[] body;

    private InMemoryRequest(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.protocol = b.protocol;
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A GET of {@code uri} with the given headers. */
    public static InMemoryRequest get(String uri, Header... headers) {
        Builder b = builder().uri(uri);
        for (Header h : headers) {
            b.header(h.name(), h.value());
        }
        return b.build();
    }

    /** A builder holding a copy of {@code request}. */
    public static Builder copyOf(HttpRequest request) {
        Builder b = builder().method(request.method()).uri(request.uri()).protocol(request.protocol())
                .body(request.body());
        for (Header h : request.headers()) {
            b.header(h.name(), h.value());
        }
        return b;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public List<Header> headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public String toString() {
        return method + " " + uri + " " + protocol + " " + headers;
    }

    /** Builds an {@link InMemoryRequest}; defaults are {@code GET / HTTP/1.1}, no headers, no body. */
    public static final class Builder {
        private String method = "GET";
        private String uri = "/";
        private String protocol = "HTTP/1.1";
        private final List<Header> headers = new ArrayList<>();
        private byte[] body = EMPTY;

        private Builder() {
        }

        public Builder method(String method) {
            this.method = HttpSyntax.requireToken(Objects.requireNonNull(method, "method"), "method");
            return this;
        }

        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.isEmpty() || uri.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("invalid request target: '" + uri + "'");
            }
            this.uri = HttpSyntax.requireSafeText(uri, "request target");
            return this;
        }

        public Builder protocol(String protocol) {
            if (!Objects.requireNonNull(protocol, "protocol").matches("[A-Za-z]{1,16}/[0-9](\\.[0-9])?")) {
                throw new IllegalArgumentException("invalid protocol: '" + protocol + "'");
            }
            this.protocol = protocol;
            return this;
        }

        /** Appends a header (names may repeat). */
        public Builder header(String name, String value) {
            HttpSyntax.requireToken(Objects.requireNonNull(name, "name"), "header name");
            HttpSyntax.requireSafeText(Objects.requireNonNull(value, "value"), "value of header " + name);
            headers.add(new Header(name, value.strip()));
            return this;
        }

        /** The body; the array is not copied, so do not change it afterwards. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** The body, encoded as UTF-8. */
        public Builder body(String body) {
            return body(body.getBytes(StandardCharsets.UTF_8));
        }

        public InMemoryRequest build() {
            return new InMemoryRequest(this);
        }
    }
}
