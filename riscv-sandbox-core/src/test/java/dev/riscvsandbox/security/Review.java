package dev.riscvsandbox.security;

import dev.riscvsandbox.tenant.Limits;
import dev.riscvsandbox.tenant.TenantConfig;
import dev.riscvsandbox.tenant.TenantLoadException;
import dev.riscvsandbox.tenant.TenantProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Shared helpers of the review tests: tenants from assembled RV64 ELF images. */
final class Review {
    /** Where test programs keep their data (pattern, subject, strings). */
    static final long DATA = 0x20000;
    /** The STOP instruction. */
    static final int STOP = 0x7ff00073;

    private Review() {
    }

    static TenantProgram load(byte[] elf, Limits limits) throws TenantLoadException {
        return TenantProgram.load(new TenantConfig("review.test", Path.of("review.elf"), "default", List.of(), limits),
                elf);
    }

    static TenantProgram load(byte[] elf) throws TenantLoadException {
        return load(elf, Limits.DEFAULTS);
    }

    /** Writes {@code s} (Latin-1) into {@code data} at {@code offset}. */
    static void put(byte[] data, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(b, 0, data, offset, b.length);
    }
}
