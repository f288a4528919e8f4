package dev.riscvsandbox.tenant;

import dev.riscvsandbox.abi.VmState;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.machine.Machine;

/**
 * An ephemeral VM forked from a tenant's snapshot for one request. It sees exactly the state the program had when it
 * called {@code wait_for_requests}; nothing it does is visible to any other VM. Close it when the request is done
 * (try-with-resources): its machine is then reset and reused for a later request.
 *
 * <pre>{@code
 * try (TenantVm vm = sandbox.fork("customer1.com")) {
 *     HookResult r = vm.onRecv(request);          // on_recv, then on_synth or the forge callback
 *     ... act on r; if it continues, run the application, then:
 *     HttpResponse head = vm.onDeliver(response); // on_deliver's edits
 * } catch (HookException e) {
 *     ... answer e.status() (503, or 500 for a failed forge callback)
 * }
 * }</pre>
 *
 * <p>Every hook runs under the tenant's instruction budget and memory limit. Not thread-safe: one request, one thread.
 */
public final class TenantVm implements AutoCloseable {
    private final TenantProgram program;
    private final Machine machine;
    private final VmState state;
    private final TenantMetrics metrics;
    /** Time spent forking and in hooks, for the latency histogram. */
    private long busyNanos;
    /** Hook calls made and guest instructions they ran, recorded in the metrics on close. */
    private long hookCalls;
    private long instructions;
    /** When the fork started, until the first hook ends: fork and first hook are timed as one span. */
    private long forkStart;
    private boolean closed;

    TenantVm(TenantProgram program, Machine machine, long forkStart) {
        this.program = program;
        this.machine = machine;
        this.state = (VmState) machine.attachment();
        this.metrics = program.metrics();
        this.forkStart = forkStart;
    }

    public TenantProgram program() {
        return program;
    }

    /**
     * Runs the receive phase for {@code request}: on_recv, then on_synth if it decided {@code synth}, or the forge
     * callback if it forged a response. Once per VM. Without an on_recv hook the request continues unchanged.
     *
     * @throws HookException if a hook faults, times out or misuses the ABI (only this request is affected)
     */
    public HookResult onRecv(HttpRequest request) {
        checkOpen();
        long start = start();
        long before = machine.instructions();
        try {
            return state.receive(machine, request, program.config().limits().maxRequestBody());
        } catch (HookException e) {
            recordFailure(e);
            throw e;
        } finally {
            account(start, before);
        }
    }

    /**
     * Runs on_deliver, if the tenant registered it, on the response head the application produced; returns the head
     * as edited (status, reason, headers) with {@code response}'s body, or {@code response} itself when unchanged.
     * Call after {@link #onRecv}.
     *
     * @throws HookException         if the hook fails
     * @throws IllegalStateException if {@link #onRecv} was not called
     */
    public HttpResponse onDeliver(HttpResponse response) {
        checkOpen();
        if (!hasCallback(TenantProgram.ON_DELIVER)) {
            return state.deliver(machine, response); // no hook runs: nothing to time or count
        }
        long start = start();
        long before = machine.instructions();
        try {
            return state.deliver(machine, response);
        } catch (HookException e) {
            recordFailure(e);
            throw e;
        } finally {
            account(start, before);
        }
    }

    /**
     * Calls a function the program registered with {@code register_func}, as {@code f(const char* arg, size_t len)},
     * and returns the C string it returns (null for a null pointer; at most 16 KiB).
     *
     * @throws IllegalArgumentException if there is no such function
     * @throws HookException            if the guest fails
     */
    public String call(String function, String argument) {
        checkOpen();
        long start = start();
        long before = machine.instructions();
        try {
            return state.call(machine, function, argument);
        } catch (HookException e) {
            recordFailure(e);
            throw e;
        } finally {
            account(start, before);
        }
    }

    /**
     * The request as the tenant's hooks have left it so far (the original object if they changed nothing), for logs
     * and debugging; a forged response's {@code BEREQ} started as this. Valid until {@link #close()}.
     *
     * @throws IllegalStateException if {@link #onRecv} was not called
     */
    public HttpRequest request() {
        checkOpen();
        HttpRequest r = state.editedRequest();
        if (r == null) {
            throw new IllegalStateException("no request yet: call onRecv first");
        }
        return r;
    }

    /** Whether the program registered callback {@code index}. */
    public boolean hasCallback(int index) {
        return program.callback(index).isPresent();
    }

    /**
     * Runs callback {@code index} ({@link TenantProgram#ON_RECV} …) with raw integer arguments and returns its
     * {@code a0}. For embedders with their own conventions; HTTP objects are available only after {@link #onRecv}.
     *
     * @throws IllegalArgumentException if the program registered no such callback
     * @throws HookException            if the guest fails
     */
    public long callback(int index, long... args) {
        checkOpen();
        long start = start();
        long before = machine.instructions();
        try {
            return state.callback(machine, index, args);
        } catch (HookException e) {
            recordFailure(e);
            throw e;
        } finally {
            account(start, before);
        }
    }

    /**
     * The underlying machine, for host code that reads or writes guest memory. Do not keep it: after {@link #close()}
     * it serves another request.
     */
    public Machine machine() {
        checkOpen();
        return machine;
    }

    /** Start of a hook's time span; the first one's begins with the fork (one clock read fewer per request). */
    private long start() {
        long s = forkStart;
        if (s != 0) {
            forkStart = 0;
            return s;
        }
        return System.nanoTime();
    }

    private void account(long start, long instructionsBefore) {
        busyNanos += System.nanoTime() - start;
        hookCalls++;
        instructions += machine.instructions() - instructionsBefore;
    }

    private void recordFailure(HookException e) {
        if (e.isTimeout()) {
            metrics.recordTimeout();
        } else {
            metrics.recordFault();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this VM is closed");
        }
    }

    /** Ends the request; the machine is reset and reused for a later request of the same tenant. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (forkStart != 0) { // no hook ran
                busyNanos += System.nanoTime() - forkStart;
            }
            metrics.recordRequest(hookCalls, instructions, busyNanos);
            program.recycle(machine);
        }
    }
}
