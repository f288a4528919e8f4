package dev.riscvsandbox.host;

import java.util.List;
import java.util.Objects;

/**
 * An immutable request held in memory, for tests, embedders and the CLI. Built with {@link #builder()}; every part is
 * validated ({@link HttpSyntax}).
 */
public final class InMemoryRequest implements HttpRequest {
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
        return builder().uri(uri).headers(List.of(headers)).build();
    }

    /** A builder holding a copy of {@code request}. */
    public static Builder copyOf(HttpRequest request) {
        return builder().method(request.method()).uri(request.uri()).protocol(request.protocol())
                .body(request.body()).headers(request.headers());
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
    public static final class Builder extends MessageBuilder<Builder> {
        private String method = "GET";
        private String uri = "/";
        private String protocol = "HTTP/1.1";

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
            if (!HttpSyntax.isProtocol(Objects.requireNonNull(protocol, "protocol"))) {
                throw new IllegalArgumentException("invalid protocol: '" + protocol + "'");
            }
            this.protocol = protocol;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        public InMemoryRequest build() {
            return new InMemoryRequest(this);
        }
    }
}
