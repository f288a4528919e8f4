package dev.riscvsandbox.tenant;

import dev.riscvsandbox.abi.GuestText;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * A guest's stdout or stderr: complete lines go to {@code System.Logger}, tagged with the tenant. Lines are capped so a
 * guest cannot make the host buffer unbounded output. Shared by every fork of a tenant, hence synchronized.
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
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (length < MAX_LINE) {
            line[length++] = (byte) b;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void flushLine() {
        if (LOG.isLoggable(level)) {
            LOG.log(level, "[{0}] {1}", tenant,
                    GuestText.printable(new String(line, 0, length, StandardCharsets.UTF_8)));
        }
        length = 0;
    }
}
