package dev.riscvsandbox.host;

import java.util.Objects;

/**
 * One HTTP header line. Names compare case-insensitively everywhere in this library; the stored spelling is kept.
 *
 * @param name  the field name, as received or as the guest wrote it
 * @param value the field value, without leading or trailing whitespace
 */
public record Header(String name, String value) {
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** Whether this header is called {@code other}, ignoring case. */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
