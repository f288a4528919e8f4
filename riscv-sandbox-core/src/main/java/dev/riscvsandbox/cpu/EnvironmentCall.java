package dev.riscvsandbox.cpu;

/** Handles {@code ecall}. Implemented by the machine, which dispatches on {@code a7} through a table. */
public interface EnvironmentCall {
    /**
     * Called with {@code cpu.pc} already pointing after the {@code ecall}. The handler may change registers, the PC
     * and {@code cpu.instret} (to charge for expensive host work).
     *
     * @return {@link ExecutionEngine#EXIT_NONE} to continue, or another exit code to end the run
     */
    int ecall();
}
