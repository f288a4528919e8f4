package dev.riscvsandbox.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.abi.AbiGuestTest.Guests;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.HttpSyntax;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random inputs through the ABI test guest ({@code guests/abi/abi_basic.c}, RV64 and RV32): header lines appended by
 * the guest round-trip exactly or are refused exactly when they break {@link HttpSyntax}; arbitrary {@code where},
 * field indices and regex handles give the modelled result or fault the request, never the host; statuses are
 * applied exactly when in 100..999; SHA-256 and base64 agree with the JDK.
 */
class AbiPropertyTest {
    private static final String TCHARS =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Provide
    Arbitrary<String> bins() {
        return Arbitraries.of(AbiGuestTest.RV64, AbiGuestTest.RV32);
    }

    /** Mostly token names, sometimes with a character a name must not have. */
    @Provide
    Arbitrary<String> names() {
        Arbitrary<Character> good = Arbitraries.of(TCHARS.chars().mapToObj(c -> (char) c).toList());
        Arbitrary<Character> bad = Arbitraries.of(' ', '\t', ':', '\r', '\n', '\0', '(', '@', '"', 'é', '\u007f');
        return Arbitraries.frequencyOf(
                        Tuple.of(20, good), Tuple.of(1, bad))
                .list().ofMinSize(0).ofMaxSize(24)
                .map(AbiPropertyTest::join);
    }

    /** Mostly printable Latin-1 values, sometimes CR, LF or NUL. */
    @Provide
    Arbitrary<String> values() {
        Arbitrary<Character> good = Arbitraries.chars().range(' ', '~').with('\t', 'é', 'ÿ', '\u00a0', '\u0085',
                '\u001c');
        Arbitrary<Character> bad = Arbitraries.of('\r', '\n', '\0');
        return Arbitraries.frequencyOf(
                        Tuple.of(40, good), Tuple.of(1, bad))
                .list().ofMinSize(0).ofMaxSize(40)
                .map(AbiPropertyTest::join);
    }

    private static String join(List<Character> chars) {
        StringBuilder sb = new StringBuilder(chars.size());
        chars.forEach(sb::append);
        return sb.toString();
    }

    /** Whether the host must accept {@code line} as a header line: a token before the first colon, no CR/LF/NUL. */
    static boolean validLine(String line) {
        int colon = line.indexOf(':');
        return colon > 0 && HttpSyntax.isToken(line.substring(0, colon)) && HttpSyntax.isSafeText(line);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Header syntax

    /** A register_func function appends the argument to the request and reads it back. */
    @Property(tries = 300)
    void headerLinesRoundTripOrAreRejected(@ForAll("bins") String bin, @ForAll("names") String name,
                                           @ForAll("values") String value) {
        String line = name + ": " + value;
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/decision/pass"));
            try {
                String stored = vm.call("append_header", line);
                assertTrue(validLine(line), "accepted an invalid line: " + escape(line));
                assertEquals(line, stored, "the line reads back exactly");
            } catch (HookException e) {
                assertTrue(!validLine(line), "refused a valid line: " + escape(line) + ": " + e.getMessage());
                assertEquals(503, e.status());
                assertTrue(e.getMessage().contains("header line"), e.getMessage());
            }
        }
        Guests.assertHealthy(Guests.program(bin));
    }

    /** on_recv appends a percent-encoded line from the URL; the forwarded request carries it as a header. */
    @Property(tries = 300)
    void appendedHeadersReachTheForwardedRequest(@ForAll("bins") String bin, @ForAll("names") String name,
                                                 @ForAll("values") String value) {
        String line = name + ": " + value;
        StringBuilder uri = new StringBuilder("/append?");
        for (byte b : line.getBytes(StandardCharsets.ISO_8859_1)) {
            uri.append('%').append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        }
        try (TenantVm vm = Guests.program(bin).fork()) {
            HookResult r;
            try {
                r = vm.onRecv(Guests.get(uri.toString()));
            } catch (HookException e) {
                assertTrue(!validLine(line), "refused a valid line: " + escape(line) + ": " + e.getMessage());
                assertEquals(503, e.status());
                return;
            }
            assertTrue(validLine(line), "accepted an invalid line: " + escape(line));
            HookResult.Continue c = assertInstanceOf(HookResult.Continue.class, r);
            assertEquals("appended", c.decision().name());
            assertEquals(6, c.decision().value0(), "the first header line has index 6");
            int colon = line.indexOf(':');
            assertEquals(List.of(new Header(line.substring(0, colon), line.substring(colon + 1).strip())),
                    c.request().headers());
        }
    }

    @Property(tries = 40)
    void headerLinesUpTo8192BytesAreAccepted(@ForAll("bins") String bin, @ForAll @IntRange(min = 8170, max = 8210)
                                             int length) {
        String line = "X-Long: " + "v".repeat(length - 8);
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/decision/pass"));
            try {
                assertEquals(line, vm.call("append_header", line));
                assertTrue(length <= 8192, "accepted " + length + " bytes");
            } catch (HookException e) {
                assertTrue(length > 8192, "refused " + length + " bytes: " + e.getMessage());
                assertTrue(e.getMessage().contains("exceeds the limit of 8192"), e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Indices, where, handles

    /** The request the index model is about: fields GET, /decision/pass, HTTP/1.1, "", "", "", "A: 1", "B: 2". */
    private static final List<String> FIELDS = List.of("GET", "/decision/pass", "HTTP/1.1", "", "", "", "A: 1", "B: 2");
    private static final long INVALID = 0xFFFF_FFFFL;

    @Provide
    Arbitrary<String> ops() {
        return Arbitraries.of("retrieve", "set", "unset", "copy", "httpcopy", "rstring", "rollback", "match", "free",
                "substfield");
    }

    @Provide
    Arbitrary<Integer> wheres() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(0, 1)),
                Tuple.of(2, Arbitraries.integers().between(-2, 7)), Tuple.of(1, Arbitraries.integers()));
    }

    @Provide
    Arbitrary<Long> indices() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.longs().between(0, 9)),
                Tuple.of(2, Arbitraries.of(INVALID, INVALID + 1, INVALID + 7, -1L, 1L << 31, -1L << 31,
                        Long.MAX_VALUE, Long.MIN_VALUE)),
                Tuple.of(1, Arbitraries.longs()));
    }

    @Property(tries = 600)
    void randomFieldCallsFaultOnlyTheRequest(@ForAll("bins") String bin, @ForAll("ops") String op,
                                             @ForAll("wheres") int where, @ForAll("indices") long index) {
        checkFieldCall(bin, op, where, index);
    }

    /** The same model over a small domain, exhaustively: every op, where -1..6 and the interesting indices. */
    @Example
    void everyFieldCallOnASmallDomain() {
        for (String bin : List.of(AbiGuestTest.RV64, AbiGuestTest.RV32)) {
            for (String op : List.of("retrieve", "set", "unset", "copy", "httpcopy", "rstring", "rollback", "match",
                    "free", "substfield")) {
                for (int where = -1; where <= 6; where++) {
                    for (long index : new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, INVALID, INVALID + 7, -1}) {
                        checkFieldCall(bin, op, where, index);
                    }
                }
            }
        }
    }

    private void checkFieldCall(String bin, String op, int where, long index) {
        String text = switch (op) {
            case "set" -> "X-Set: v";
            case "copy" -> "6";
            case "httpcopy" -> Integer.toString(where);
            case "match" -> "init-x";
            case "substfield" -> "Z";
            default -> "";
        };
        Long expected = model(op, where, index & INVALID);
        String argument = op + " " + where + " " + index + (text.isEmpty() ? "" : " " + text);
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/decision/pass", "A", "1", "B", "2"));
            String result;
            try {
                result = vm.call("index_op", argument);
            } catch (HookException e) {
                assertEquals(null, expected, argument + " faulted: " + e.getMessage());
                assertEquals(503, e.status());
                return;
            }
            if (expected == null) {
                fail(argument + " should have faulted, but returned " + result);
            }
            assertEquals(Long.toString(expected), result, argument);
        } catch (RuntimeException e) {
            if (e instanceof HookException) {
                throw e;
            }
            throw new AssertionError("the host failed on " + argument, e);
        }
        Guests.assertHealthy(Guests.program(bin));
    }

    /** The result of {@code op} on the request above, or null if the request must fault. */
    private static Long model(String op, int where, long idx) {
        if (op.equals("match")) {
            return idx == 0 ? Long.valueOf(1) : null; // only handle 0 (compiled in main()) exists
        }
        if (op.equals("free")) {
            return idx == 0 ? Long.valueOf(0) : idx < VmState.MAX_REGEXES ? Long.valueOf(-1) : null;
        }
        if (where != 0 && where != 1) {
            return null; // only the request (0, 1 = req_top) is available in a call after on_recv
        }
        String field = idx < FIELDS.size() && !FIELDS.get((int) idx).isEmpty() ? FIELDS.get((int) idx) : null;
        int count = FIELDS.size();
        switch (op) {
            case "retrieve":
            case "rstring":
                return field == null ? -1L : field.length();
            case "rollback":
                return 0L;
            case "unset":
                if (idx == INVALID) {
                    return -1L;
                }
                if (idx < 6) {
                    return null;
                }
                return idx < count ? idx : -1L;
            case "set":
                return setModel(idx, "X-Set: v");
            case "copy":
                return idx == INVALID ? Long.valueOf(-1) : setModel(idx, "A: 1");
            case "httpcopy":
                return idx >= 6 && field != null ? (long) count : -1L;
            case "substfield":
                // "^init-" matches nothing here, so the field is written back unchanged
                return field == null ? Long.valueOf(-1) : setModel(idx, field);
            default:
                throw new IllegalArgumentException(op);
        }
    }

    private static Long setModel(long idx, String text) {
        if (idx >= FIELDS.size() || idx == 5) {
            return -1L;
        }
        boolean ok = switch ((int) idx) {
            case 0 -> HttpSyntax.isToken(text);
            case 1 -> !text.isEmpty() && text.indexOf(' ') < 0;
            case 2 -> text.matches("[A-Za-z]{1,16}/[0-9](\\.[0-9])?");
            case 3 -> false; // the status is set with 528 only
            case 4 -> true;
            default -> validLine(text);
        };
        return ok ? Long.valueOf(text.length()) : null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Statuses

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.oneOf(Arbitraries.integers().between(90, 1010),
                Arbitraries.integers().between(-70000, 70000),
                Arbitraries.of(0, 99, 100, 999, 1000, 65536 + 200, Integer.MAX_VALUE, Integer.MIN_VALUE));
    }

    @Property(tries = 300)
    void synthStatusIsAcceptedExactlyIn100To999(@ForAll("bins") String bin, @ForAll("statuses") int status) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            HookResult r = vm.onRecv(Guests.get("/synth/status?" + status));
            assertTrue(HttpSyntax.isStatus(status), "accepted synth status " + status);
            HttpResponse resp = assertInstanceOf(HookResult.Synthetic.class, r).response();
            assertEquals(status, resp.status());
            assertEquals(HttpSyntax.reasonPhrase(status), resp.reason());
        } catch (HookException e) {
            assertTrue(!HttpSyntax.isStatus(status), "refused synth status " + status + ": " + e.getMessage());
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains("synth status"), e.getMessage());
        }
    }

    @Property(tries = 300)
    void deliverStatusIsAppliedExactlyIn100To999(@ForAll("bins") String bin, @ForAll("statuses") int status) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/deliver/status?" + status));
            HttpResponse out;
            try {
                out = vm.onDeliver(AbiGuestTest.appResponse());
            } catch (HookException e) {
                assertTrue(status >= 0 && !HttpSyntax.isStatus(status), "refused status " + status + ": "
                        + e.getMessage());
                assertEquals(503, e.status());
                assertTrue(e.getMessage().contains("is not in 100..999"), e.getMessage());
                return;
            }
            Map<String, String> report = Guests.report(out);
            if (status < 0) {
                assertEquals(200, out.status(), "a negative status reads it");
                assertEquals("200", report.get("status"));
            } else {
                assertTrue(HttpSyntax.isStatus(status), "accepted status " + status);
                assertEquals(status, out.status());
                assertEquals(Integer.toString(status), report.get("status"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Digests and encodings

    @Property(tries = 150)
    void sha256MatchesTheJdk(@ForAll("bins") String bin, @ForAll String data) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            assertEquals(Guests.sha256Hex(data.getBytes(StandardCharsets.UTF_8)), vm.call("sha256", data));
        }
    }

    @Property(tries = 150)
    void base64RoundTrips(@ForAll("bins") String bin, @ForAll String data) {
        String text = data.replace("\0", ""); // results come back as C strings
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (TenantVm vm = Guests.program(bin).fork()) {
            String encoded = vm.call("b64enc", text);
            assertEquals(Base64.getEncoder().encodeToString(bytes), encoded);
            assertEquals(text, vm.call("b64dec", encoded));
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 32 || c == 127 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return "'" + sb + "'";
    }
}
