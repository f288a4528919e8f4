package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;
import static dev.riscvsandbox.abi.HostCalls.state;

import dev.riscvsandbox.machine.Machine;
import java.nio.charset.StandardCharsets;

/**
 * The calls a program makes while {@code main()} sets it up: {@code register_callback} (509), {@code register_func}
 * (539) and {@code wait_for_requests} (510 in initialisation mode). The tables they fill belong to the program, so
 * request VMs may not change them (the original let them, leaking state between requests).
 */
final class Initialisation {
    private Initialisation() {
    }

    private static ProgramContext initialising(Machine m, String call) {
        VmState s = state(m);
        if (s.phase != VmState.Phase.INIT) {
            throw fault(call + " is only available while main() initialises the program");
        }
        return s.ctx;
    }

    /** 509: {@code callbacks[index] = address}; index 0xFFFFFFFF sets the exit address. */
    static void registerCallback(Machine m) {
        ProgramContext ctx = initialising(m, "register_callback");
        long index = m.reg(10) & 0xFFFF_FFFFL;
        long address = ptr(m, 1);
        if (index == VmState.INVALID) {
            ctx.exitAddress = address;
        } else if (index >= ProgramContext.CALLBACKS) {
            throw fault("register_callback: index " + index + " is not below " + ProgramContext.CALLBACKS);
        } else {
            ctx.callbacks[(int) index] = address;
        }
        m.setReg(10, 0);
    }

    /** 510 during initialisation: {@code wait_for_requests(on_recv, on_exit)} ends {@code main()}'s run. */
    static void waitForRequests(Machine m) {
        ProgramContext ctx = state(m).ctx;
        long onRecv = ptr(m, 0);
        long onExit = ptr(m, 1);
        if (onRecv != 0) {
            ctx.callbacks[VmState.ON_RECV] = onRecv;
        }
        if (onExit != 0) {
            ctx.exitAddress = onExit;
        }
        ctx.waiting = true;
        m.setReg(10, 0);
        m.stop();
    }

    /** 539: makes a function callable by name from Java. */
    static void registerFunction(Machine m) {
        ProgramContext ctx = initialising(m, "register_func");
        long length = len(m, 1);
        if (length == 0 || length > ProgramContext.MAX_FUNCTION_NAME) {
            throw fault("register_func: name length " + length + " is not in 1.." + ProgramContext.MAX_FUNCTION_NAME);
        }
        String name = new String(m.memory().readBytes(ptr(m, 0), (int) length), StandardCharsets.UTF_8);
        if (ctx.functions.size() >= ProgramContext.MAX_FUNCTIONS && !ctx.functions.containsKey(name)) {
            throw fault("register_func: more than " + ProgramContext.MAX_FUNCTIONS + " functions");
        }
        ctx.functions.put(name, ptr(m, 2));
        m.setReg(10, 0);
    }
}
