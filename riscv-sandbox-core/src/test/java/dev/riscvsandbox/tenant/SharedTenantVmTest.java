package dev.riscvsandbox.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A VM handed between threads: close() while on_deliver runs on another thread defers the close to that thread, so
 * the VM is never recycled under a running hook; a second hook at the same time does not run.
 */
class SharedTenantVmTest {
    static final Path HOSTILE = Path.of(System.getProperty("riscv.guests.dir", "../guests/bin"))
            .resolve("abi-misbehave-rv64");

    @Test
    void closeDuringAHookWaitsForIt() throws Exception {
        TenantConfig config = new TenantConfig("shared.test", HOSTILE, "test", List.of(),
                Limits.DEFAULTS.withMaxInstructions(400_000_000L));
        TenantProgram program = TenantProgram.load(config);
        TenantVm vm = program.fork();
        assertInstanceOf(HookResult.Continue.class, vm.onRecv(InMemoryRequest.get("/deliver-loop")));
        SharedTenantVm shared = new SharedTenantVm(vm);

        CompletableFuture<Throwable> hook = CompletableFuture.supplyAsync(() -> {
            try {
                shared.onDeliver(InMemoryResponse.builder().status(200).build());
                return null;
            } catch (HookException e) {
                return e; // the endless on_deliver runs out of budget
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!shared.isRunning() && !hook.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // until the hook is certainly running
        }
        assertTrue(shared.isRunning(), "the hook runs (400 M instructions: a second or more)");
        shared.close();
        assertFalse(shared.isClosed(), "not closed under the running hook");
        assertTrue(shared.onDeliver(InMemoryResponse.builder().status(200).build()).isEmpty(),
                "a second hook does not run meanwhile");

        Throwable t = hook.get(60, TimeUnit.SECONDS);
        assertInstanceOf(HookException.class, t);
        assertTrue(((HookException) t).isTimeout());
        assertTrue(shared.isClosed(), "closed by the hook's thread when it returned");
        TenantMetrics.Snapshot m = program.metrics().snapshot();
        assertEquals(m.forks(), m.requests(), "the VM went back to the pool once");
        shared.close(); // idempotent
        assertTrue(shared.onDeliver(InMemoryResponse.builder().status(200).build()).isEmpty());
    }
}
