package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import dev.riscvsandbox.machine.Machine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON host calls (549, 550) on Jackson's streaming parser: a guest can validate a document or pull one value out of
 * it by JSON Pointer for a fraction of what parsing it in the guest costs (a 10 KB document takes millions of guest
 * instructions with nlohmann::json). Streaming keeps host memory bounded whatever the document; nesting, string and
 * number sizes are capped by Jackson's read constraints.
 */
final class JsonCalls {
    /** Longest document and JSON Pointer. */
    static final int MAX_DOCUMENT = 4 << 20, MAX_POINTER = 1024;
    /** Deepest nesting accepted. */
    static final int MAX_DEPTH = 256;
    /** Fixed cost per call, and per document byte (Jackson reads a byte in a few ns; a guest instruction is ~4 ns). */
    static final long CALL_COST = 1024, COST_PER_BYTE = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_DOCUMENT)
                    .maxNumberLength(1000)
                    .build())
            .build();

    private JsonCalls() {
    }

    /** 549: 1 if the text is one well-formed JSON value (and nothing else), 0 otherwise. */
    static void validate(Machine m) {
        byte[] doc = document(m, 0);
        try (JsonParser p = FACTORY.createParser(doc)) {
            if (p.nextToken() == null) {
                m.setReg(10, 0);
                return;
            }
            p.skipChildren();
            m.setReg(10, p.nextToken() == null ? 1 : 0);
        } catch (IOException | RuntimeException e) { // malformed, or over a read constraint
            m.setReg(10, 0);
        }
    }

    /**
     * 550: the value at a JSON Pointer ({@code /a/0/b}) written to a buffer: a string's text unquoted, any other value
     * as compact JSON, then a NUL if room remains. Returns its length; -1 if the document is malformed, the pointer
     * invalid or absent, or the buffer too small. A null buffer of size 0 returns the length only.
     */
    static void extract(Machine m) {
        String pointer = HostCalls.utf8(m, ptr(m, 2), len(m, 3), MAX_POINTER, "JSON pointer");
        byte[] doc = document(m, 0);
        long dst = ptr(m, 4);
        long size = len(m, 5);
        JsonPointer ptr;
        try {
            ptr = JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            m.setReg(10, -1);
            return;
        }
        byte[] value;
        try {
            value = find(doc, ptr, (int) Math.min(size == 0 && dst == 0 ? MAX_DOCUMENT : size, MAX_DOCUMENT));
        } catch (IOException | RuntimeException e) {
            value = null;
        }
        if (value == null) {
            m.setReg(10, -1);
        } else if (dst == 0 && size == 0) {
            m.setReg(10, value.length);
        } else {
            HostCalls.writeResult(m, value, dst, size, true);
        }
    }

    /** The value's bytes, or null if absent or longer than {@code max}. */
    private static byte[] find(byte[] doc, JsonPointer pointer, int max) throws IOException {
        try (JsonParser base = FACTORY.createParser(doc);
             JsonParser p = pointer.matches() ? base // "" is the whole document, which the filter does not match
                     : new FilteringParserDelegate(base, new JsonPointerBasedFilter(pointer),
                             TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                return b.length <= max ? b : null;
            }
            ByteArrayOutputStream out = new CappedOutput(max);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.copyCurrentStructure(p);
            } catch (CappedOutput.Full e) {
                return null;
            }
            if (pointer.matches() && base.nextToken() != null) {
                return null; // trailing content: not one JSON value
            }
            return out.toByteArray();
        }
    }

    private static byte[] document(Machine m, int arg) {
        long n = len(m, arg + 1);
        if (n > MAX_DOCUMENT) {
            throw fault("JSON document of " + Long.toUnsignedString(n) + " bytes exceeds " + MAX_DOCUMENT);
        }
        m.charge(CALL_COST + n * COST_PER_BYTE);
        return HostCalls.bytes(m, ptr(m, arg), n, MAX_DOCUMENT, "JSON document");
    }

    /** Output that refuses to grow past a cap, so a huge value never fills the host's memory. */
    private static final class CappedOutput extends ByteArrayOutputStream {
        private final int max;

        CappedOutput(int max) {
            super(Math.min(max, 256));
            this.max = max;
        }

        @Override
        public void write(int b) {
            if (count + 1 > max) {
                throw new Full();
            }
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > max) {
                throw new Full();
            }
            super.write(b, off, len);
        }

        static final class Full extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Full() {
                super(null, null, false, false);
            }
        }
    }
}
