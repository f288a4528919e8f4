package dev.riscvsandbox.tenant;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployments of several tenants: isolation of load failures, live updates with state hand-over, metrics. */
class SandboxTest {
    static final long DATA = 0x20000;
    static final int STOP = 0x7ff00073;

    /**
     * A tenant whose on_recv calls "bump" in the storage VM (507), which counts requests, and decides {@code synth}
     * with status {@code base + count}. on_live_update hands the count over (STOP with a0 = &count, a1 = 8);
     * on_resume_update adds the handed-over count to its own.
     */
    static byte[] tenant(int base) {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(A0, 10).la(A1, "save").li(A7, 509).ecall()
                .li(A0, 11).la(A1, "resume").li(A7, 509).ecall()
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall()
                .li(A0, 1).li(A7, 93).ecall();
        a.label("on_recv") // count = storage_call(bump); decision("synth", base + count): name at DATA+16
                .la(A0, "bump").li(A7, 507).ecall()
                .addi(A2, A0, base).li(A0, DATA + 16).li(A1, 5).li(A7, 510).ecall().ret();
        a.label("bump") // in storage: count += 1; return count
                .li(T0, DATA).ld(T1, 0, T0).addi(T1, T1, 1).sd(T1, 0, T0).mv(A0, T1).ret();
        a.label("save").li(A0, DATA).li(A1, 8).word(STOP);
        a.label("resume") // count += *(long*)a0
                .ld(T1, 0, A0).li(T0, DATA).ld(A0, 0, T0).add(T1, T1, A0).sd(T1, 0, T0).ret();
        a.label("loop").j("loop");
        byte[] data = new byte[32];
        System.arraycopy("synth".getBytes(), 0, data, 16, 5);
        return TestElf.builder(64).text(a).data(DATA, data, 4096).build();
    }

    static int status(Sandbox s, String tenant) {
        try (TenantVm vm = s.fork(tenant)) {
            HookResult r = vm.onRecv(InMemoryRequest.get("/"));
            return assertInstanceOf(HookResult.Synthetic.class, r).response().status();
        }
    }

    static Sandbox sandbox(Path dir, byte[] elf) throws Exception {
        Path good = dir.resolve("good.elf");
        Files.write(good, elf);
        Files.write(dir.resolve("bad.elf"), new byte[] {1, 2, 3});
        return Sandbox.fromJson("{\"a.com\": {\"filename\": \"" + good + "\"},"
                + " \"b.com\": {\"filename\": \"" + dir.resolve("bad.elf") + "\"},"
                + " \"c.com\": {\"filename\": \"" + dir.resolve("missing.elf") + "\"}}");
    }

    @Test
    void tenantsThatFailToLoadAreIsolatedAndExplained(@TempDir Path dir) throws Exception {
        try (Sandbox s = sandbox(dir, tenant(200))) {
            assertEquals(201, status(s, "a.com"));
            assertEquals(java.util.Set.of("b.com", "c.com"), s.loadErrors().keySet());
            assertTrue(s.loadErrors().get("b.com").getMessage().contains("not a loadable RISC-V program"));
            assertTrue(assertThrows(NoSuchElementException.class, () -> s.fork("c.com")).getMessage()
                    .contains("cannot read"));
            assertTrue(assertThrows(NoSuchElementException.class, () -> s.fork("nobody.com")).getMessage()
                    .contains("no tenant 'nobody.com'"));
        }
    }

    @Test
    void liveUpdateSwapsOnlyAfterInitialisationAndInFlightVmsFinishOnTheOldProgram(@TempDir Path dir)
            throws Exception {
        try (Sandbox s = sandbox(dir, tenant(200))) {
            TenantVm inFlight = s.fork("a.com");
            s.update("a.com", tenant(300)); // no state handed over: the old storage VM was never used
            assertEquals(301, status(s, "a.com"));
            HookResult old = inFlight.onRecv(InMemoryRequest.get("/"));
            assertEquals(201, ((HookResult.Synthetic) old).response().status()); // old program, old storage
            inFlight.close();
            assertEquals(302, status(s, "a.com")); // the old program's VM was not recycled into the new one

            Asm neverWaits = Asm.rv64();
            neverWaits.label("_start").li(A0, 0).li(A7, 93).ecall();
            TenantLoadException e = assertThrows(TenantLoadException.class,
                    () -> s.update("a.com", TestElf.of(neverWaits)));
            assertTrue(e.getMessage().contains("without calling wait_for_requests"), e.getMessage());
            assertEquals(303, status(s, "a.com")); // the old program keeps serving
            assertThrows(TenantLoadException.class, () -> s.update("a.com", new byte[] {0x7f, 'E'}));
            assertThrows(NoSuchElementException.class, () -> s.update("nobody.com", tenant(200)));

            s.update("b.com", tenant(400)); // a tenant that failed to load can be repaired
            assertEquals(401, status(s, "b.com"));
            assertFalse(s.loadErrors().containsKey("b.com"));
        }
    }

    @Test
    void liveUpdateHandsStorageStateOver(@TempDir Path dir) throws Exception {
        try (Sandbox s = sandbox(dir, tenant(200))) {
            assertEquals(201, status(s, "a.com"));
            assertEquals(202, status(s, "a.com")); // the storage VM keeps its count across requests
            assertTrue(s.update("a.com", tenant(300)), "state handed over");
            assertEquals(303, status(s, "a.com")); // 2 handed over, then this request
        }
    }

    @Test
    void onDeliverWithoutTheHookCountsNoHookCall(@TempDir Path dir) throws Exception {
        try (Sandbox s = sandbox(dir, tenant(200))) {
            HttpResponse head = InMemoryResponse.builder().status(204).build();
            try (TenantVm vm = s.fork("a.com")) {
                assertThrows(IllegalStateException.class, () -> vm.onDeliver(head)); // on_recv first, hook or not
                vm.onRecv(InMemoryRequest.get("/"));
                assertSame(head, vm.onDeliver(head));
            }
            TenantMetrics.Snapshot m = s.metrics("a.com").orElseThrow().snapshot();
            assertEquals(1, m.forks());
            assertEquals(1, m.hookCalls(), "on_recv only");
        }
    }

    @Test
    void metricsCountForksHooksAndFailures(@TempDir Path dir) throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv").label("spin").j("spin");
        Path f = dir.resolve("spin.elf");
        Files.write(f, TestElf.of(a));
        try (Sandbox s = Sandbox.fromJson("{\"s.com\": {\"filename\": \"" + f + "\", \"max_instructions\": 5000}}")) {
            for (int i = 0; i < 3; i++) {
                try (TenantVm vm = s.fork("s.com")) {
                    HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
                    assertEquals(503, e.status());
                    assertTrue(e.isTimeout());
                    // a request's counts are recorded when its VM closes; its failure at once
                    TenantMetrics.Snapshot open = s.metrics("s.com").orElseThrow().snapshot();
                    assertEquals(i, open.forks());
                    assertEquals(i, open.hookCalls());
                    assertEquals(i + 1, open.timeouts());
                }
            }
            TenantMetrics.Snapshot m = s.metrics("s.com").orElseThrow().snapshot();
            assertEquals(3, m.forks());
            assertEquals(3, m.hookCalls());
            assertEquals(3, m.timeouts());
            assertEquals(0, m.faults());
            assertTrue(m.instructions() >= 3 * 5000, "instructions " + m.instructions());
            assertEquals(3, m.requests());
            assertTrue(m.p50Nanos() > 0);
        }
    }
}
