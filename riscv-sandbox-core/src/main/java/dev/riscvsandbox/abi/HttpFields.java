package dev.riscvsandbox.abi;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.HttpSyntax;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One HTTP object (request or response) in the field layout the ABI exposes: index 0 method, 1 URL, 2 protocol,
 * 3 status, 4 reason, 5 unused, 6 and up one {@code "Name: value"} line per header. Guests address fields by index and
 * never hold their bytes. Filled lazily (from the host's request or response, from another object, or as an empty
 * response) the first time a guest or the host looks, so hooks that never touch an object cost nothing. Every write
 * is validated: header injection and response splitting are impossible.
 */
final class HttpFields {
    static final int METHOD = 0, URL = 1, PROTO = 2, STATUS = 3, REASON = 4, FIRST_HEADER = 6;
    /** Most header lines an object holds (Varnish's http_max_hdr is 64 by default). */
    static final int MAX_HEADERS = 128;
    /** Longest field (a whole {@code "Name: value"} line, a URL). */
    static final int MAX_FIELD_LENGTH = 8192;

    /**
     * Field texts; for header lines either the text or the parsed header may be missing (null) until needed, so that
     * the host's headers are taken over without building strings, and the guest's lines without parsing them.
     */
    private String[] fields = new String[FIRST_HEADER + 16];
    private Header[] parsed = new Header[FIRST_HEADER + 16];
    private int count;
    /** The host object this was filled from; null once filled or for an object that starts empty. */
    private HttpRequest pendingRequest;
    private HttpResponse pendingResponse;
    /** An object to copy on first use, or null (see {@link #copyFrom} for why it is still the same then). */
    private HttpFields pendingCopy;
    /** The status of a response started empty and not built yet, or 0. */
    private int pendingStatus;
    private boolean filled;
    private boolean changed;
    /** Whether the current hook may use this object. */
    boolean available;

    /** Empties the object and forgets its source. */
    void clear() {
        if (count == 0 && pendingRequest == null && pendingResponse == null && pendingCopy == null
                && pendingStatus == 0 && !filled && !changed && !available) {
            return; // empty already (an object the request did not use): leave its line clean
        }
        Arrays.fill(fields, 0, count, null);
        Arrays.fill(parsed, 0, count, null);
        count = 0;
        pendingRequest = null;
        pendingResponse = null;
        pendingCopy = null;
        pendingStatus = 0;
        filled = false;
        changed = false;
        available = false;
    }

    /** Will hold {@code request} (filled on first use). */
    void setRequest(HttpRequest request) {
        clear();
        pendingRequest = request;
    }

    /** Will hold {@code response}'s head (filled on first use). */
    void setResponse(HttpResponse response) {
        clear();
        pendingResponse = response;
    }

    /** Starts an empty response with {@code status} and its standard reason phrase (built on first use). */
    void startResponse(int status) {
        clear();
        pendingStatus = status;
    }

    /**
     * Becomes a copy of {@code other} as it is now. The copy is taken on first use, so no one may read this object
     * after {@code other} changed: the forge phase copies the request into BEREQ while the request is closed to the
     * guest, and closes BEREQ when it ends ({@code VmState.forge}); no host code reads BEREQ.
     */
    void copyFrom(HttpFields other) {
        assert other != this && other.pendingCopy == null : "a copy of a copy not taken yet";
        clear();
        pendingCopy = other;
    }

    private void fill() {
        if (filled) {
            return;
        }
        filled = true;
        if (pendingRequest != null) {
            HttpRequest r = pendingRequest;
            pendingRequest = null;
            putFixedFields(r.method(), r.uri(), r.protocol(), "", "");
            addHeaders(r.headers());
        } else if (pendingStatus != 0) {
            int status = pendingStatus;
            pendingStatus = 0;
            putResponseFields(status, HttpSyntax.reasonPhrase(status));
        } else if (pendingCopy != null) {
            HttpFields other = pendingCopy;
            pendingCopy = null;
            other.fill();
            ensure(other.count);
            System.arraycopy(other.fields, 0, fields, 0, other.count);
            System.arraycopy(other.parsed, 0, parsed, 0, other.count);
            count = other.count;
        } else if (pendingResponse != null) {
            HttpResponse r = pendingResponse;
            pendingResponse = null;
            putResponseFields(r.status(), r.reason());
            addHeaders(r.headers());
        } else {
            for (int i = 0; i < FIRST_HEADER; i++) {
                put(i, "");
            }
        }
    }

    /** The six fixed fields of a response head (method and URL empty). */
    private void putResponseFields(int status, String reason) {
        putFixedFields("", "", "HTTP/1.1", Integer.toString(status), reason);
    }

    private void putFixedFields(String method, String url, String protocol, String status, String reason) {
        put(METHOD, method);
        put(URL, url);
        put(PROTO, protocol);
        put(STATUS, status);
        put(REASON, reason);
        put(5, "");
    }

    private void addHeaders(List<Header> headers) {
        ensure(FIRST_HEADER + headers.size());
        for (int i = 0, n = headers.size(); i < n; i++) {
            parsed[count++] = headers.get(i);
        }
    }

    private void put(int index, String value) {
        ensure(index + 1);
        fields[index] = value;
        count = Math.max(count, index + 1);
    }

    private void ensure(int n) {
        if (n > fields.length) {
            fields = Arrays.copyOf(fields, Math.max(n, fields.length * 2));
            parsed = Arrays.copyOf(parsed, fields.length);
        }
    }

    /** The text of field {@code i} (built from the parsed header if needed). */
    private String text(int i) {
        String f = fields[i];
        if (f == null) {
            Header h = parsed[i];
            f = h.name() + ": " + h.value();
            fields[i] = f;
        }
        return f;
    }

    /** Field {@code i} (a header line) as a header: the name before the colon, the trimmed value after it. */
    private Header header(int i) {
        Header h = parsed[i];
        if (h == null) {
            h = parseLine(fields[i]);
            parsed[i] = h;
        }
        return h;
    }

    /** A validated header line as a header: the name before the colon, the trimmed value after it. */
    private static Header parseLine(String line) {
        int colon = line.indexOf(':');
        return new Header(line.substring(0, colon), line.substring(colon + 1).strip());
    }

    /** Number of fields, including the six fixed ones. */
    int count() {
        fill();
        return count;
    }

    /** Number of header lines; 0 for a response started empty, without building it. */
    int headerCount() {
        return pendingStatus != 0 ? 0 : count() - FIRST_HEADER;
    }

    /** Whether a guest changed anything. */
    boolean changed() {
        return changed;
    }

    /** Field {@code index}, or null if out of range or empty (an empty field does not exist for guests). */
    String get(long index) {
        fill();
        if (index < 0 || index >= count) {
            return null;
        }
        String f = text((int) index);
        return f.isEmpty() ? null : f;
    }

    /** Index of the first header line whose name is {@code name} (ignoring case), or -1. */
    int find(String name) {
        fill();
        int n = name.length();
        for (int i = FIRST_HEADER; i < count; i++) {
            Header h = parsed[i];
            if (h != null ? h.name().equalsIgnoreCase(name) : matchesName(fields[i], name, n)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesName(String line, String name, int n) {
        return line.length() > n && line.charAt(n) == ':' && line.regionMatches(true, 0, name, 0, n);
    }

    /**
     * Appends a header line; returns its index, or -1 if the object is full.
     *
     * @throws IllegalArgumentException if the line is not a valid {@code "Name: value"} header
     */
    int append(String line) {
        checkHeaderLine(line);
        fill();
        if (count - FIRST_HEADER >= MAX_HEADERS) {
            return -1;
        }
        ensure(count + 1);
        fields[count] = line;
        parsed[count] = null;
        changed = true;
        return count++;
    }

    /**
     * Replaces field {@code index} (a header line, the method, URL, protocol or reason); returns false if there is no
     * such field.
     *
     * @throws IllegalArgumentException if the text is not valid for that field
     */
    boolean set(long index, String text) {
        fill();
        if (index < 0 || index >= count || index == 5) {
            return false;
        }
        int i = (int) index;
        checkField(i, text);
        fields[i] = text;
        parsed[i] = null;
        changed = true;
        return true;
    }

    /** Removes header line {@code index}, keeping the order of the others; returns false if there is none. */
    boolean unset(long index) {
        fill();
        if (index < FIRST_HEADER || index >= count) {
            return false;
        }
        int i = (int) index;
        System.arraycopy(fields, i + 1, fields, i, count - i - 1);
        System.arraycopy(parsed, i + 1, parsed, i, count - i - 1);
        fields[--count] = null;
        parsed[count] = null;
        changed = true;
        return true;
    }

    /** The status field as a number, or 0 if it holds none. */
    int status() {
        fill();
        String s = fields[STATUS];
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    /** Sets the status (and the standard reason phrase, when the old one was standard or empty). */
    void setStatus(int status) {
        fill();
        String oldReason = fields[REASON];
        int old = status();
        if (oldReason.isEmpty() || oldReason.equals(HttpSyntax.reasonPhrase(old))) {
            fields[REASON] = HttpSyntax.reasonPhrase(status);
        }
        fields[STATUS] = Integer.toString(status);
        changed = true;
    }

    /** The header lines as name/value pairs (the value is what follows the colon, trimmed). */
    List<Header> headers() {
        fill();
        Header[] out = new Header[count - FIRST_HEADER];
        for (int i = FIRST_HEADER; i < count; i++) {
            out[i - FIRST_HEADER] = header(i);
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /** The header lines as they are now, copied cheaply; converted to headers only when someone asks. */
    HeaderLines headerLines() {
        fill();
        return new HeaderLines(Arrays.copyOfRange(fields, FIRST_HEADER, count),
                Arrays.copyOfRange(parsed, FIRST_HEADER, count));
    }

    /** An immutable copy of header lines (texts and/or parsed headers, as {@link HttpFields} holds them). */
    static final class HeaderLines {
        private final String[] lines;
        private final Header[] parsed;

        HeaderLines(String[] lines, Header[] parsed) {
            this.lines = lines;
            this.parsed = parsed;
        }

        /** The lines as headers (a new list each time; callers cache it). */
        List<Header> toHeaders() {
            Header[] out = new Header[lines.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = parsed[i] != null ? parsed[i] : parseLine(lines[i]);
            }
            return Collections.unmodifiableList(Arrays.asList(out));
        }
    }

    static void checkHeaderLine(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || !HttpSyntax.isToken(line.substring(0, colon))) {
            throw new IllegalArgumentException("not a header line (\"Name: value\" with a token name): "
                    + abbreviate(line));
        }
        checkText(line, "header line");
    }

    private static void checkField(int index, String text) {
        switch (index) {
            case METHOD:
                if (!HttpSyntax.isToken(text)) {
                    throw new IllegalArgumentException("method is not a token: " + abbreviate(text));
                }
                break;
            case URL:
                if (text.isEmpty() || text.indexOf(' ') >= 0 || text.indexOf('\t') >= 0) {
                    throw new IllegalArgumentException("URL must be non-empty without spaces: " + abbreviate(text));
                }
                checkText(text, "URL");
                break;
            case PROTO:
                if (!HttpSyntax.isProtocol(text)) {
                    throw new IllegalArgumentException("not a protocol: " + abbreviate(text));
                }
                break;
            case STATUS:
                throw new IllegalArgumentException("set the status with the status call (528)");
            case REASON:
                checkText(text, "reason");
                break;
            default:
                checkHeaderLine(text);
        }
    }

    private static void checkText(String text, String what) {
        if (text.length() > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_FIELD_LENGTH + " bytes");
        }
        if (!HttpSyntax.isSafeText(text)) {
            throw new IllegalArgumentException(what + " contains a control character (such as CR, LF or NUL)");
        }
    }

    /** Guest text for an error message: shortened, with control characters escaped (messages end up in logs). */
    static String abbreviate(String s) {
        return "'" + GuestText.printable(s.length() <= 80 ? s : s.substring(0, 80)) + (s.length() <= 80 ? "'" : "…'");
    }
}
