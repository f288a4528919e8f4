package dev.riscvsandbox.security;

import static dev.riscvsandbox.security.Review.DATA;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import org.junit.jupiter.api.Test;

/**
 * A status outside 100..999 never reaches the host. on_recv decides {@code synth 200}; on_synth runs a foreach (519)
 * whose callback tries a new decision (510) with status 0, then rolls RESP back (526). Decisions are refused inside
 * foreach callbacks (they could only stop the callback, not the hook), and a rollback restores the status on_synth
 * started with.
 */
class InvalidStatusTest {
    @Test
    void aSyntheticResponseNeverHasAStatusOutside100To999() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(A0, 3).la(A1, "on_synth").li(A7, 509).ecall()
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv") // decision("synth", 200)
                .li(A0, DATA).li(A1, 5).li(A2, 200).li(A3, 0).li(A7, 510).ecall().ret();
        a.label("on_synth")
                .li(A0, 0).la(A1, "cb").li(A2, 0).li(A7, 519).ecall() // foreach(REQ, cb, 0)
                .li(A0, 2).li(A7, 526).ecall() // http_rollback(RESP)
                .ret();
        a.label("cb") // decision("x", 0): stops only this callback
                .li(A0, DATA + 16).li(A1, 1).li(A2, 0).li(A3, 0).li(A7, 510).ecall().ret();
        byte[] data = new byte[32];
        Review.put(data, 0, "synth");
        Review.put(data, 16, "x");
        TenantProgram p = Review.load(TestElf.builder(64).text(a).data(DATA, data, 4096).build());
        try (TenantVm vm = p.fork()) {
            HookException e = assertThrows(HookException.class,
                    () -> vm.onRecv(InMemoryRequest.get("/", new Header("X-A", "b"))));
            assertTrue(e.getMessage().contains("decision is not available inside a foreach callback"), e.getMessage());
        }
        Asm b = Asm.rv64(); // the rollback alone: RESP goes back to the status on_synth started with
        b.label("_start")
                .li(A0, 3).la(A1, "on_synth").li(A7, 509).ecall()
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        b.label("on_recv").li(A0, DATA).li(A1, 5).li(A2, 203).li(A3, 0).li(A7, 510).ecall().ret();
        b.label("on_synth")
                .li(A0, 2).li(A1, 404).li(A7, 528).ecall() // status 404
                .li(A0, 2).li(A7, 526).ecall() // rollback(RESP)
                .ret();
        TenantProgram q = Review.load(TestElf.builder(64).text(b).data(DATA, data, 4096).build());
        try (TenantVm vm = q.fork()) {
            HookResult r = vm.onRecv(InMemoryRequest.get("/"));
            assertEquals(203, assertInstanceOf(HookResult.Synthetic.class, r).response().status());
        }
    }
}
