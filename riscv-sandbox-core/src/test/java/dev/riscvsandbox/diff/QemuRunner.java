package dev.riscvsandbox.diff;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a RISC-V ELF under qemu-user ({@code qemu-riscv64} / {@code qemu-riscv32}). */
public final class QemuRunner {

    private static final long TIMEOUT_SECONDS = 120;

    private QemuRunner() {
    }

    public static String binary(int xlen) {
        return xlen == 64 ? "qemu-riscv64" : "qemu-riscv32";
    }

    /** Whether the qemu-user binary for {@code xlen} is on the PATH. */
    public static boolean available(int xlen) {
        return onPath(binary(xlen));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Whether tests that need qemu must fail (instead of being skipped) when it is missing. */
    public static boolean required() {
        return Boolean.getBoolean("riscv.requireQemu");
    }

    /** A started qemu process; {@link #await()} collects its result. */
    public static final class Pending {
        private final Process process;
        private final Path file;
        private final CompletableFuture<byte[]> stdout;
        private final CompletableFuture<byte[]> stderr;
        private final long start;

        private Pending(Process process, Path file, long start) {
            this.process = process;
            this.file = file;
            this.start = start;
            this.stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            this.stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        }

        public GuestRun await() {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return new GuestRun(-1, new byte[0], "qemu timed out", -1, System.nanoTime() - start);
                }
                byte[] out = stdout.join();
                String err = new String(stderr.join()).trim();
                int status = process.exitValue();
                long nanos = System.nanoTime() - start;
                if (status >= 128 || !err.isEmpty()) {
                    return new GuestRun(status, out, "qemu: status " + status + (err.isEmpty() ? "" : ": " + err), -1,
                            nanos);
                }
                return new GuestRun(status, out, null, -1, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted", e);
            } finally {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // temp file; the OS will clean up
                }
            }
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts qemu on the ELF without waiting for it. */
    public static Pending start(int xlen, byte[] elf) {
        try {
            Path file = Files.createTempFile("riscv-diff-", ".elf");
            Files.write(file, elf);
            // qemu-user refuses to load a file without execute permission
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot chmod +x " + file);
            }
            long start = System.nanoTime();
            Process p = new ProcessBuilder(binary(xlen), file.toString()).start();
            p.getOutputStream().close();
            return new Pending(p, file, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GuestRun run(int xlen, byte[] elf) {
        return start(xlen, elf).await();
    }
}
