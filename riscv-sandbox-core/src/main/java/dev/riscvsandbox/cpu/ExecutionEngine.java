package dev.riscvsandbox.cpu;

import dev.riscvsandbox.GuestFault;

/**
 * Executes guest code for one hart. The interpreter is the only engine today; a JVM-bytecode translation tier can be
 * added behind this interface without changing machines.
 */
public interface ExecutionEngine {
    /** Keep running (returned by {@link EnvironmentCall#ecall()} only). */
    int EXIT_NONE = 0;
    /** The instruction budget is exhausted; the PC is at the start of the block that would exceed it. */
    int EXIT_LIMIT = 1;
    /** A guest fault ended the run; see {@link #fault()}. */
    int EXIT_FAULT = 2;
    /** A system call asked to stop (exit, or a host handler's request). */
    int EXIT_STOP = 3;
    /** Execution reached the host-call return trampoline. */
    int EXIT_HALT = 4;

    /**
     * Runs from {@code cpu.pc} until the retired-instruction count would pass {@code limit}, a fault, or a stop.
     * On return {@code cpu.pc} and {@code cpu.instret} are exact.
     *
     * @return one of the {@code EXIT_} codes
     */
    int run(long limit);

    /** The fault that ended the last run, or null. */
    GuestFault fault();
}
