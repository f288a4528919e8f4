package dev.riscvsandbox.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the request and response builders share: validated, ordered headers and a body.
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
abstract class MessageBuilder<B extends MessageBuilder<B>> {
    static final byte[] EMPTY = new byte[0];

    final List<Header> headers = new ArrayList<>();
    byte[] body = EMPTY;

    abstract B self();

    /** Appends a header (names may repeat); the value is stripped of surrounding whitespace. */
    public B header(String name, String value) {
        HttpSyntax.requireToken(Objects.requireNonNull(name, "name"), "header name");
        HttpSyntax.requireSafeText(Objects.requireNonNull(value, "value"), "value of header " + name);
        headers.add(new Header(name, value.strip()));
        return self();
    }

    /** Appends every header of {@code list}, validated like {@link #header(String, String)}. */
    public B headers(List<Header> list) {
        for (Header h : list) {
            header(h.name(), h.value());
        }
        return self();
    }

    /** The body; the array is not copied, so do not change it afterwards. */
    public B body(byte[] body) {
        this.body = Objects.requireNonNull(body, "body");
        return self();
    }

    /** The body, encoded as UTF-8. */
    public B body(String body) {
        return body(body.getBytes(StandardCharsets.UTF_8));
    }
}
