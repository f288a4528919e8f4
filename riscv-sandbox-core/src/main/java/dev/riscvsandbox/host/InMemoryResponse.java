package dev.riscvsandbox.host;

import java.util.List;
import java.util.Objects;

/** An immutable response held in memory. Built with {@link #builder()}; every part is validated ({@link HttpSyntax}). */
public final class InMemoryResponse implements HttpResponse {
    private final int status;
    private final String reason;
    private final List<Header> headers;
    private final byte[] body;

    private InMemoryResponse(Builder b) {
        this.status = b.status;
        this.reason = b.reason != null ? b.reason : HttpSyntax.reasonPhrase(b.status);
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding a copy of {@code response}. */
    public static Builder copyOf(HttpResponse response) {
        return builder().status(response.status()).reason(response.reason()).body(response.body())
                .headers(response.headers());
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String reason() {
        return reason;
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
        return status + " " + reason + " " + headers + " (" + body.length + " bytes)";
    }

    /** Builds an {@link InMemoryResponse}; defaults are {@code 200 OK}, no headers, no body. */
    public static final class Builder extends MessageBuilder<Builder> {
        private int status = 200;
        private String reason;

        private Builder() {
        }

        /** The status (100 to 999); the reason phrase defaults to the standard one. */
        public Builder status(int status) {
            if (!HttpSyntax.isStatus(status)) {
                throw new IllegalArgumentException("status " + status + " is not in 100..999");
            }
            this.status = status;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = HttpSyntax.requireSafeText(Objects.requireNonNull(reason, "reason"), "reason");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        public InMemoryResponse build() {
            return new InMemoryResponse(this);
        }
    }
}
