package dev.riscvsandbox.host;

/** A response as tenant hooks produce or see it, independent of any web framework. */
public interface HttpResponse extends HttpMessage {
    /** The status code, 100 to 999. */
    int status();

    /** The reason phrase (may be empty). */
    String reason();
}
