package dev.riscvsandbox.machine;

/**
 * Handles one system call number. Arguments are in {@code a0..a5} ({@code machine.reg(10..15)}), the number in
 * {@code a7}; the handler writes its result to {@code a0}. It may end the run with {@link Machine#stop()}.
 */
@FunctionalInterface
public interface SyscallHandler {
    void handle(Machine machine);
}
