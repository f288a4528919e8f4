package dev.riscvsandbox.security;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Limits;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import org.junit.jupiter.api.Test;

/**
 * Regression test from a security review: NativeCalls charge the cost of memcpy/memmove/memcmp/memset (and realloc's copy) and then do the work
 * unconditionally; the budget is only checked when the guest enters its next basic block. A hook with a budget of
 * 5000 instructions therefore still compares 400 MiB of memory (~0.3 s of host CPU) before it times out. A hook of
 * 5000 instructions should take well under 50 ms (10 µs per budgeted instruction).
 */
class BudgetCheckedAfterWorkTest {
    @Test
    void aHookCannotOutrunItsBudgetInOneHostCall() throws Exception {
        long size = 400L << 20;
        byte[] elf = HostWorkAccountingTest.tenant(a -> a
                .li(A0, size).li(A7, 580).ecall() // malloc: 400 MiB of mapped zero pages, charged 2000
                .mv(A1, A0).li(A2, size).li(A7, 588).ecall(), // memcmp(p, p, 400 MiB): charged 800 M, done anyway
                new byte[16]);
        TenantProgram p = Review.load(elf, Limits.DEFAULTS.withMaxInstructions(5000));
        try (TenantVm vm = p.fork()) {
            long t0 = System.nanoTime();
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("5000-instruction hook took " + millis + " ms; " + e.getMessage());
            assertTrue(e.isTimeout());
            assertTrue(millis < 50, "a 5000-instruction hook ran for " + millis + " ms");
        }
    }
}
