package dev.riscvsandbox.tenant;

import dev.riscvsandbox.abi.GuestText;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest's stdout or stderr: complete lines go to {@code System.Logger}, tagged with the tenant. Lines are capped so a
 * guest cannot make the host buffer unbounded output. Shared by every fork of a tenant, hence the lock.
 */
final class GuestOutput extends OutputStream {
    static final int MAX_LINE = 4096;
    private static final Logger LOG = System.getLogger("dev.riscvsandbox.tenant.guest");

    private final String tenant;
    private final Level level;
    private final byte[] line = new byte[MAX_LINE];
    private int length;

    GuestOutput(String tenant, Level level) {
        this.tenant = tenant;
        this.level = level;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * Collects bytes into the current line under the lock; complete lines are logged after it is released, so a slow
     * log handler never holds other requests (or pins a virtual thread's carrier) on this monitor.
     */
    @Override
    public void write(byte[] b, int off, int len) {
        List<String> complete = null;
        synchronized (this) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    if (complete == null) {
                        complete = new ArrayList<>(1);
                    }
                    complete.add(new String(line, 0, length, StandardCharsets.UTF_8));
                    length = 0;
                } else if (length < MAX_LINE) {
                    line[length++] = b[i];
                }
            }
        }
        if (complete != null && LOG.isLoggable(level)) {
            for (String text : complete) {
                LOG.log(level, "[{0}] {1}", tenant, GuestText.printable(text));
            }
        }
    }
}
