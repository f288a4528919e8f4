package dev.riscvsandbox.security;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Limits;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import org.junit.jupiter.api.Test;

/**
 * Regression test from a security review: VmState.forge copies the request body into the guest heap outside any try/catch. When the copy faults
 * (here: max_memory 64 KiB, a legal 512 KiB body under the default max_request_body of 1 MiB; a guest can get the
 * same by filling its memory in on_recv) a raw GuestFault escapes TenantVm.onRecv instead of a HookException: the
 * adapter's HookException handler (500/503) is bypassed and the failure is not counted in the metrics.
 */
class ForgeBodyFaultEscapesTest {
    @Test
    void aBodyThatDoesNotFitFailsTheRequestWithAHookException() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv") // forge(caching 0, tramp, 0, 0)
                .li(A0, 0).la(A1, "tramp").li(A2, 0).li(A3, 0).li(A7, 512).ecall().ret();
        a.label("tramp") // 200, no content type, no body
                .li(A0, 200).li(A1, 0).li(A2, 0).li(A3, 0).li(A4, 0).word(Review.STOP);
        TenantProgram p = Review.load(TestElf.of(a), Limits.DEFAULTS.withMaxMemory(64 << 10));
        try (TenantVm vm = p.fork()) {
            InMemoryRequest post = InMemoryRequest.builder().method("POST").uri("/").body(new byte[512 << 10])
                    .build();
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(post));
            assertEquals(500, e.status());
        }
        // with a small body the same tenant works
        try (TenantVm vm = p.fork()) {
            vm.onRecv(InMemoryRequest.builder().method("POST").uri("/").body(new byte[100]).build());
        }
    }
}
