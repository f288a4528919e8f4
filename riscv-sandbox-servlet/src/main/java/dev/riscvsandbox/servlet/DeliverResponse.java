package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.tenant.SharedTenantVm;
import dev.riscvsandbox.tenant.TenantVm;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The response the application writes to when the tenant registered on_deliver. on_deliver runs once, just before
 * the head can commit: on the first body write or flush, {@code flushBuffer}, {@code sendError},
 * {@code sendRedirect}, {@link jakarta.servlet.AsyncContext#complete()}, or when the application returns without
 * having written anything. Its edits (status, headers) are applied to the real response, and from then on the head
 * is treated as committed: status and header changes through this wrapper are ignored, and {@code reset},
 * {@code sendError} and {@code sendRedirect} throw {@link IllegalStateException}, so what goes out is what the
 * tenant saw. If on_deliver fails, the response becomes the generic error ({@link HookException#status()}, 503) and
 * whatever the application writes afterwards is dropped.
 *
 * <p>The wrapper owns the request's VM from then on: {@link #finish()} closes it when the request ends (the filter's
 * own thread, or the asynchronous cycle's completion), but never while on_deliver runs on another thread
 * ({@link SharedTenantVm}).
 */
final class DeliverResponse extends HttpServletResponseWrapper {
    /** What {@link #deliver(int, String)} returns when on_deliver failed; never inspected for contents. */
    private static final HttpResponse FAILED = InMemoryResponse.builder().status(503).build();

    private final SharedTenantVm vm;
    /** Set when on_deliver starts (or can no longer run): from then on the head is final. */
    private final AtomicBoolean delivered = new AtomicBoolean();
    private volatile boolean failed;
    private ServletOutputStream out;
    private PrintWriter writer;

    DeliverResponse(HttpServletResponse response, TenantVm vm) {
        super(response);
        this.vm = new SharedTenantVm(vm);
    }

    private HttpServletResponse real() {
        return (HttpServletResponse) getResponse();
    }

    /** Runs on_deliver if it has not run yet and the head has not committed. */
    void deliver() {
        deliver(real().getStatus(), null);
    }

    /**
     * Runs on_deliver on the head with {@code status} (and {@code location}, for a redirect) unless it already ran.
     *
     * @return the head as edited, {@code null} if on_deliver had already run (or could not run any more), or
     *         {@code FAILED} if it failed and the error response was written
     */
    private HttpResponse deliver(int status, String location) {
        if (!delivered.compareAndSet(false, true)) {
            return null;
        }
        HttpServletResponse real = real();
        if (real.isCommitted()) {
            RiscvSandboxFilter.LOG.log(System.Logger.Level.DEBUG,
                    "tenant ''{0}'': the response committed before on_deliver could run", vm.tenant());
            return null;
        }
        HttpResponse head = ServletResponses.head(real, status, location);
        try {
            HttpResponse edited = vm.onDeliver(head).orElse(null);
            if (edited != null && edited != head) {
                ServletResponses.applyHead(real, head, edited);
            }
            return edited;
        } catch (HookException e) {
            failed = true;
            RiscvSandboxFilter.logFailure(e);
            try {
                real.reset();
                ServletResponses.writeError(real, e.status());
            } catch (IOException | IllegalStateException io) {
                RiscvSandboxFilter.LOG.log(System.Logger.Level.DEBUG, "writing the error response failed", io);
            }
            return FAILED;
        }
    }

    /** Closes the VM, now or when a running on_deliver returns; idempotent. */
    void finish() {
        vm.close();
    }

    /** Refuses what would change a head that is already final (as a committed response would). */
    private void requireOpenHead(String what) {
        if (delivered.get()) {
            throw new IllegalStateException(what + ": the response head was already passed to the tenant's on_deliver"
                    + " (it is treated as committed)");
        }
    }

    /** Before the application's bytes move on: run on_deliver; whether the bytes may pass (not after a failure). */
    private boolean beforeWrite() {
        if (!delivered.get()) {
            deliver();
        }
        return !failed;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new DeliveringOutputStream(super.getOutputStream());
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new DeliveringWriter(super.getWriter()), false);
        }
        return writer;
    }

    @Override
    public void reset() {
        requireOpenHead("reset");
        super.reset();
    }

    @Override
    public void setStatus(int sc) {
        if (!delivered.get()) {
            super.setStatus(sc);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (!delivered.get()) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!delivered.get()) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!delivered.get()) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!delivered.get()) {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!delivered.get()) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!delivered.get()) {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public void setContentType(String type) {
        if (!delivered.get()) {
            super.setContentType(type);
        }
    }

    @Override
    public void addCookie(jakarta.servlet.http.Cookie cookie) {
        if (!delivered.get()) {
            super.addCookie(cookie);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (beforeWrite()) {
            super.flushBuffer();
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        requireOpenHead("sendError");
        HttpResponse edited = deliver(sc, null);
        if (edited == FAILED) {
            return;
        }
        int status = edited != null && edited.status() >= 400 ? edited.status() : sc;
        if (msg == null) {
            super.sendError(status);
        } else {
            super.sendError(status, msg);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        sendRedirect(location, HttpServletResponse.SC_FOUND, true);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        sendRedirect(location, HttpServletResponse.SC_FOUND, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        sendRedirect(location, sc, true);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        requireOpenHead("sendRedirect");
        HttpResponse edited = deliver(sc, location);
        if (edited == FAILED) {
            return;
        }
        if (edited != null) {
            location = edited.header("Location").orElse(location);
            if (edited.status() >= 300 && edited.status() < 400) {
                sc = edited.status();
            }
        }
        super.sendRedirect(location, sc, clearBuffer);
    }

    /** The application's output stream: on_deliver before the first byte, nothing after a failed on_deliver. */
    private final class DeliveringOutputStream extends ServletOutputStream {
        private final ServletOutputStream out;

        DeliveringOutputStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (beforeWrite()) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (beforeWrite()) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (beforeWrite()) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (beforeWrite()) {
                out.close();
            }
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }

    /** The application's writer, with the same rule as {@link DeliveringOutputStream}. */
    private final class DeliveringWriter extends Writer {
        private final PrintWriter out;

        DeliveringWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            if (beforeWrite()) {
                out.write(cbuf, off, len);
            }
        }

        @Override
        public void write(String s, int off, int len) {
            if (beforeWrite()) {
                out.write(s, off, len);
            }
        }

        @Override
        public void write(int c) {
            if (beforeWrite()) {
                out.write(c);
            }
        }

        @Override
        public void flush() {
            if (beforeWrite()) {
                out.flush();
            }
        }

        @Override
        public void close() {
            if (beforeWrite()) {
                out.close();
            }
        }
    }
}
