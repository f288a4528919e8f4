package dev.riscvsandbox.host;

/**
 * A request as tenant hooks see it, independent of any web framework. Adapters wrap their framework's request in
 * one; {@link InMemoryRequest} serves tests and embedders.
 */
public interface HttpRequest extends HttpMessage {
    /** The method, such as {@code GET}. */
    String method();

    /** The request target as sent: path and query, such as {@code /search?q=x}. */
    String uri();

    /** The protocol, such as {@code HTTP/1.1}. */
    String protocol();
}
