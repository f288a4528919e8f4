package dev.riscvsandbox.tenant;

import dev.riscvsandbox.GuestExitException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.GuestTimeoutException;
import dev.riscvsandbox.machine.Machine;
import java.util.OptionalLong;

/**
 * An ephemeral VM forked from a tenant's snapshot for one request. It sees exactly the state the program had when it
 * called {@code wait_for_requests}; nothing it does is visible to any other VM. Close it when the request is done.
 *
 * <p>Not thread-safe: one request, one thread.
 */
public final class TenantVm implements AutoCloseable {
    private final TenantProgram program;
    private final Machine machine;
    private boolean closed;

    TenantVm(TenantProgram program, Machine machine) {
        this.program = program;
        this.machine = machine;
    }

    public TenantProgram program() {
        return program;
    }

    /**
     * The underlying machine, for host code that reads or writes guest memory. Do not keep it: after {@link #close()}
     * it serves another request.
     *
     * @throws IllegalStateException after close
     */
    public Machine machine() {
        if (closed) {
            throw new IllegalStateException("this VM is closed");
        }
        return machine;
    }

    /** Whether the program registered callback {@code index}. */
    public boolean hasCallback(int index) {
        return program.callback(index).isPresent();
    }

    /**
     * Runs callback {@code index} ({@link TenantProgram#ON_RECV} …) with integer arguments under the tenant's
     * instruction budget and returns its {@code a0}.
     *
     * @throws IllegalArgumentException if the program registered no such callback
     * @throws GuestFault               if the guest faults
     * @throws GuestTimeoutException    if the budget runs out
     * @throws GuestExitException       if the guest exits instead of returning
     */
    public long callback(int index, long... args) {
        OptionalLong address = program.callback(index);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("tenant '" + program.name() + "' registered no callback " + index);
        }
        return call(address.getAsLong(), args);
    }

    /** Runs a function the program registered with {@code register_func}; otherwise like {@link #callback}. */
    public long function(String name, long... args) {
        OptionalLong address = program.function(name);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("tenant '" + program.name() + "' registered no function '" + name
                    + "'");
        }
        return call(address.getAsLong(), args);
    }

    private long call(long address, long[] args) {
        if (closed) {
            throw new IllegalStateException("this VM is closed");
        }
        return machine.call(address, program.config().limits().maxInstructions(), args);
    }

    /** Ends the request; the machine is reset and reused for a later request of the same tenant. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            program.recycle(machine);
        }
    }
}
