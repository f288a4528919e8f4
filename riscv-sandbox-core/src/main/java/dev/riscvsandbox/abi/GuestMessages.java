package dev.riscvsandbox.abi;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import java.util.List;

/**
 * Requests and responses as a tenant left them. Every part was validated when the guest wrote it ({@link HttpFields},
 * {@link HostCalls}), so unlike the public in-memory types these are built without checking again: they are on the
 * path of every request.
 */
final class GuestMessages {
    private GuestMessages() {
    }

    /** A request edited by on_recv. */
    record EditedRequest(String method, String uri, String protocol, List<Header> headers, byte[] body)
            implements HttpRequest {
        @Override
        public String toString() {
            return method + " " + uri + " " + protocol + " " + headers;
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
