package dev.riscvsandbox.tenant;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.SP;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static dev.riscvsandbox.testutil.Asm.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.GuestTimeoutException;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Program lifecycle (main() up to wait_for_requests, then a frozen snapshot) and forks of it. */
class TenantProgramTest {
    static final long DATA = 0x20000;
    static final long G = DATA;            // a global the program sets to 7 in main()
    static final long NAME = DATA + 16;    // "double"

    /** main: g = 7; register_func("double"); wait_for_requests(on_recv). on_recv(x): old = g; g += x; return old. */
    static byte[] tenantElf() {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(T0, G).li(T1, 7).sd(T1, 0, T0)
                .li(A0, NAME).li(A1, 6).la(A2, "dbl").li(A7, 539).ecall()
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall()
                .li(A0, 99).li(A7, 93).ecall();
        a.label("on_recv")
                .li(T0, G).ld(T1, 0, T0).add(T2, T1, A0).sd(T2, 0, T0)
                .addi(SP, SP, -16).sd(T2, 0, SP).addi(SP, SP, 16)
                .mv(A0, T1).ret();
        a.label("dbl").ret(); // returns its argument string: an echo
        a.label("spin").j("spin");
        byte[] data = new byte[32];
        System.arraycopy("double".getBytes(StandardCharsets.US_ASCII), 0, data, 16, 6);
        return TestElf.builder(64).text(a).data(DATA, data, 4096).build();
    }

    static TenantConfig config(String name) {
        return new TenantConfig(name, Path.of(name + ".elf"), "test", List.of(), Limits.DEFAULTS);
    }

    static TenantProgram program() throws TenantLoadException {
        return TenantProgram.load(config("t.example"), tenantElf());
    }

    @Test
    void initialisationEndsAtWaitForRequestsAndRecordsCallbacksAndFunctions() throws Exception {
        TenantProgram p = program();
        assertTrue(p.callback(TenantProgram.ON_RECV).isPresent());
        assertEquals(java.util.Set.of("double"), p.functions());
        try (TenantVm vm = p.fork()) {
            assertEquals(7, vm.callback(TenantProgram.ON_RECV, 5));
            assertEquals(12, vm.callback(TenantProgram.ON_RECV, 1)); // the same VM keeps its own state
            assertEquals("21", vm.call("double", "21"));
            assertThrows(IllegalArgumentException.class, () -> vm.callback(3));
            assertThrows(IllegalArgumentException.class, () -> vm.call("triple", "1"));
        }
        try (TenantVm vm = p.fork()) {
            assertEquals(7, vm.callback(TenantProgram.ON_RECV, 0)); // a new VM sees the snapshot again
        }
    }

    @Property(tries = 50)
    void noStateLeaksBetweenForksOnAnyThread(@ForAll @Size(max = 40) List<Long> increments) throws Exception {
        TenantProgram p = SHARED;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (long x : increments) {
                results.add(pool.submit(() -> {
                    try (TenantVm vm = p.fork()) {
                        long before = vm.callback(TenantProgram.ON_RECV, x);
                        vm.machine().memory().store64(vm.machine().reg(2) - 256, x); // scribble on the stack too
                        return before;
                    }
                }));
            }
            for (Future<Long> f : results) {
                assertEquals(7, f.get());
            }
        } finally {
            pool.shutdown();
        }
        try (TenantVm vm = p.fork()) {
            assertEquals(7, vm.machine().memory().load64(G));
        }
    }

    private static final TenantProgram SHARED;

    static {
        try {
            SHARED = program();
        } catch (TenantLoadException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void closedVmsAreResetAndReusedWithoutLeakingState() throws Exception {
        TenantProgram p = program();
        dev.riscvsandbox.machine.Machine first;
        try (TenantVm vm = p.fork()) {
            first = vm.machine();
            assertEquals(7, vm.callback(TenantProgram.ON_RECV, 1000));
            first.memory().store64(first.reg(2) - 512, -1L);
            first.setReg(9, 12345);
        }
        try (TenantVm vm = p.fork()) {
            assertTrue(vm.machine() == first, "the closed VM's machine is reused on this thread");
            assertEquals(7, vm.callback(TenantProgram.ON_RECV, 1));
            assertEquals(0, vm.machine().memory().load64(vm.machine().reg(2) - 512));
            assertEquals(0, vm.machine().reg(9));
        }
        TenantVm closed = p.fork();
        closed.close();
        assertThrows(IllegalStateException.class, closed::machine);
        assertThrows(IllegalStateException.class, () -> closed.callback(TenantProgram.ON_RECV, 1));
    }

    @Test
    void hooksRunUnderTheTenantsBudgetAndFaultsStayInTheirVm() throws Exception {
        TenantConfig tight = new TenantConfig("t", Path.of("t"), "test", List.of(),
                Limits.DEFAULTS.withMaxInstructions(10_000));
        TenantProgram p = TenantProgram.load(tight, tenantElf());
        try (TenantVm vm = p.fork()) {
            long spin = p.function("double").getAsLong() + 4; // "spin" follows "dbl" (ret)
            assertThrows(GuestTimeoutException.class, () -> vm.machine().call(spin, 10_000));
            GuestFault f = assertThrows(GuestFault.class, () -> vm.machine().call(0x1234, 10_000));
            assertEquals(GuestFault.Kind.EXECUTE_ACCESS, f.kind());
        }
        try (TenantVm vm = p.fork()) {
            assertEquals(7, vm.callback(TenantProgram.ON_RECV, 0));
        }
    }

    @Test
    void programsThatNeverWaitForRequestsFailToLoadWithTheReason() {
        Asm exits = Asm.rv64();
        exits.label("_start").li(A0, 3).li(A7, 93).ecall();
        assertTrue(assertThrows(TenantLoadException.class,
                () -> TenantProgram.load(config("a"), TestElf.of(exits))).getMessage()
                .contains("tenant 'a': main() returned (exit status 3) without calling wait_for_requests()"));
        Asm loops = Asm.rv64();
        loops.label("_start").label("l").j("l");
        TenantConfig small = new TenantConfig("b", Path.of("b"), "test", List.of(),
                Limits.DEFAULTS.withMaxInstructions(1000));
        assertTrue(assertThrows(TenantLoadException.class,
                () -> TenantProgram.load(small, TestElf.of(loops))).getMessage().contains("used its budget"));
        Asm faults = Asm.rv64();
        faults.label("_start").li(T0, 8).ld(A0, 0, T0);
        assertTrue(assertThrows(TenantLoadException.class,
                () -> TenantProgram.load(config("c"), TestElf.of(faults))).getMessage()
                .contains("faulted before calling wait_for_requests(): load access fault"));
        assertTrue(assertThrows(TenantLoadException.class,
                () -> TenantProgram.load(config("d"), new byte[] {1, 2, 3})).getMessage()
                .contains("not a loadable RISC-V program"));
    }

    @Test
    void aSandboxLoadsEveryTenantAndIsolatesFailures(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("good.elf"), tenantElf());
        Files.write(dir.resolve("bad.elf"), new byte[] {0x7f, 'E', 'L', 'F'});
        Path json = dir.resolve("tenants.json");
        Files.writeString(json, """
                { "good.com": { "filename": "good.elf" },
                  "bad.com":  { "filename": "bad.elf" },
                  "gone.com": { "filename": "missing.elf" } }""");
        try (Sandbox s = Sandbox.fromFile(json)) {
            assertEquals(java.util.Set.of("good.com"), s.tenants().keySet());
            assertEquals(java.util.Set.of("bad.com", "gone.com"), s.loadErrors().keySet());
            try (TenantVm vm = s.fork("good.com")) {
                assertEquals(7, vm.callback(TenantProgram.ON_RECV, 1));
            }
            assertTrue(assertThrows(NoSuchElementException.class, () -> s.fork("gone.com")).getMessage()
                    .contains("cannot read"));
            assertThrows(NoSuchElementException.class, () -> s.fork("nobody.com"));
        }
    }
}
