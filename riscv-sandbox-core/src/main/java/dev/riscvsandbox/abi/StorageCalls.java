package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;
import static dev.riscvsandbox.abi.HostCalls.state;

import dev.riscvsandbox.GuestException;
import dev.riscvsandbox.machine.Machine;

/**
 * Calls from a request VM into its program's storage VM (507, 508): the one place where state outlives a request.
 * Callers take turns; the storage VM's instructions and a fixed fee are charged to the caller.
 */
final class StorageCalls {
    /** Largest result a storage function may hand back through 508. */
    static final int MAX_RESULT = 16 << 20;

    private StorageCalls() {
    }

    /** The storage call's budget: the tenant's, or what the caller has left if less. */
    private static long budget(Machine m, VmState caller) {
        return Math.min(caller.ctx.maxInstructions, m.remainingBudget());
    }

    private static VmState caller(Machine m, String call) {
        VmState s = state(m);
        if (s.storage || s.phase == VmState.Phase.INIT) {
            throw fault(call + " is only available while handling a request");
        }
        return s;
    }

    /** 507: {@code func(a1, a2, a3, a4)} in the storage VM; its a0..a3 come back in the caller's a0..a3. */
    static void remoteCall(Machine m) {
        VmState s = caller(m, "storage call");
        long func = ptr(m, 0);
        long[] args = {m.reg(11), m.reg(12), m.reg(13), m.reg(14)};
        m.charge(HostCalls.REMOTE_CALL_COST);
        long budget = budget(m, s);
        long[] results = new long[5]; // a0..a3, then the storage VM's instructions
        GuestException failure = s.ctx.withStorage(st -> {
            long before = st.instructions();
            try {
                st.call(func, budget, args);
                for (int i = 0; i < 4; i++) {
                    results[i] = st.callResult(i);
                }
                return null;
            } catch (GuestException e) {
                return e;
            } finally {
                results[4] = st.instructions() - before;
            }
        });
        m.charge(results[4]);
        if (failure != null) {
            throw fault("storage call failed: " + failure.getMessage());
        }
        for (int i = 0; i < 4; i++) {
            m.setReg(10 + i, results[i]);
        }
    }

    /**
     * 508: copies {@code data} into the storage VM's heap and runs {@code tramp(func, copy, len)} there, which ends with
     * the STOP instruction and a result (pointer, length) in a0/a1; the result is copied into a new buffer on the
     * caller's heap, returned as (pointer, length). An empty result comes back as (0, 0).
     */
    static void remoteStringCall(Machine m) {
        VmState s = caller(m, "storage call");
        long tramp = ptr(m, 0);
        long func = ptr(m, 1);
        m.charge(HostCalls.REMOTE_CALL_COST);
        byte[] data = HostCalls.chargedBytes(m, ptr(m, 2), len(m, 3), HostCalls.MAX_BUFFER, "storage call data");
        long budget = budget(m, s);
        long[] used = new long[1];
        Object outcome = s.ctx.withStorage(st -> {
            VmState ss = (VmState) st.attachment();
            long before = st.instructions();
            long copy = 0;
            try {
                copy = ss.heap.malloc(st, data.length + 1L);
                if (copy == 0) {
                    throw fault("the storage VM has no heap left for " + data.length + " bytes");
                }
                st.memory().writeBytes(copy, data, 0, data.length);
                st.memory().store8(copy + data.length, 0);
                st.call(tramp, budget, func, copy, data.length);
                if (!st.callStopped()) {
                    throw fault("the storage function returned without a result (end it with STOP)");
                }
                return HostCalls.bytes(st, st.callResult(0), st.callResult(1), MAX_RESULT, "storage result");
            } catch (GuestException e) {
                return e;
            } finally {
                if (copy != 0 && ss.heap.chunkSize(copy) >= 0) {
                    ss.heap.free(st, copy);
                }
                used[0] = st.instructions() - before;
            }
        });
        m.charge(used[0]);
        if (outcome instanceof GuestException e) {
            throw fault("storage call failed: " + e.getMessage());
        }
        byte[] result = (byte[]) outcome;
        long out = 0;
        if (result.length > 0) {
            out = s.heap.malloc(m, result.length);
            if (out == 0) {
                throw fault("no heap left for a storage result of " + result.length + " bytes");
            }
            m.memory().writeBytes(out, result, 0, result.length);
        }
        m.setReg(10, out);
        m.setReg(11, result.length);
    }
}
