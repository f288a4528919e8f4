package dev.riscvsandbox.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What requests and responses share: ordered, multi-valued headers and a body. */
public interface HttpMessage {
    /** The header lines in order; names may repeat. */
    List<Header> headers();

    /** The body bytes (empty if none). Callers must not modify the array. */
    byte[] body();

    /** The value of the first header called {@code name} (ignoring case). */
    default Optional<String> header(String name) {
        for (Header h : headers()) {
            if (h.is(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** The values of every header called {@code name} (ignoring case), in order. */
    default List<String> headerValues(String name) {
        List<String> values = new ArrayList<>(2);
        for (Header h : headers()) {
            if (h.is(name)) {
                values.add(h.value());
            }
        }
        return values;
    }
}
