package dev.riscvsandbox.abi;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Requests and responses as a tenant left them. Every part was validated when the guest wrote it ({@link HttpFields},
 * {@link HostCalls}), so unlike the public in-memory types these are built without checking again: they are on the
 * path of every request.
 */
final class GuestMessages {
    private GuestMessages() {
    }

    /** Whether {@code h} frames a message body: adapters set these from the actual body, never the tenant. */
    static boolean isFraming(Header h) {
        return AdapterRules.isFraming(h);
    }

    /** {@code headers} without framing headers ({@code headers} itself when it has none). */
    static List<Header> withoutFraming(List<Header> headers) {
        for (Header h : headers) {
            if (isFraming(h)) {
                List<Header> out = new ArrayList<>(headers.size());
                for (Header k : headers) {
                    if (!isFraming(k)) {
                        out.add(k);
                    }
                }
                return Collections.unmodifiableList(out);
            }
        }
        return headers;
    }

    /**
     * A request edited by on_recv. Its header list is built on first use from a copy of the lines, so results that
     * nobody inspects cost little. The body is the client's, so its framing headers ({@code Content-Length},
     * {@code Transfer-Encoding}) are the client's whatever the tenant wrote.
     */
    static final class EditedRequest implements HttpRequest {
        private final String method;
        private final String uri;
        private final String protocol;
        private final HttpFields.HeaderLines lines;
        private final HttpRequest original;
        private List<Header> headers; // built once; a racing second build gives an equal list

        EditedRequest(String method, String uri, String protocol, HttpFields.HeaderLines lines, HttpRequest original) {
            this.method = method;
            this.uri = uri;
            this.protocol = protocol;
            this.lines = lines;
            this.original = original;
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
        public byte[] body() {
            return original.body();
        }

        @Override
        public List<Header> headers() {
            List<Header> h = headers;
            if (h == null) {
                h = withClientFraming(lines.toHeaders(), original.headers());
                headers = h;
            }
            return h;
        }

        private static List<Header> withClientFraming(List<Header> edited, List<Header> client) {
            List<Header> own = withoutFraming(edited);
            List<Header> out = null;
            for (Header h : client) {
                if (isFraming(h)) {
                    if (out == null) {
                        out = new ArrayList<>(own);
                    }
                    out.add(h);
                }
            }
            return out == null ? own : Collections.unmodifiableList(out);
        }

        @Override
        public String toString() {
            return method + " " + uri + " " + protocol + " " + headers();
        }
    }

    /** A response synthesized, forged or edited by a tenant. */
    record GuestResponse(int status, String reason, List<Header> headers, byte[] body) implements HttpResponse {
        @Override
        public String toString() {
            return status + " " + reason + " " + headers + " (" + body.length + " bytes)";
        }
    }
}
