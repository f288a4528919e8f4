package dev.riscvsandbox.cpu;

/** Handles {@code ecall}, the STOP instruction and dyncalls. Implemented by the machine, which dispatches on {@code a7} through a table. */
public interface EnvironmentCall {
    /**
     * Called with {@code cpu.pc} already pointing after the {@code ecall}. The handler may change registers, the PC
     * and {@code cpu.instret} (to charge for expensive host work).
     *
     * @param kind {@link dev.riscvsandbox.isa.Op#ECALL_PLAIN}, {@link dev.riscvsandbox.isa.Op#ECALL_STOP} or
     *             {@link dev.riscvsandbox.isa.Op#ECALL_DYNCALL} + n
     * @return {@link ExecutionEngine#EXIT_NONE} to continue, or another exit code to end the run
     */
    int ecall(int kind);
}
