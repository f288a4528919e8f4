package dev.riscvsandbox.tenant;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.S1;
import static dev.riscvsandbox.testutil.Asm.S2;
import static dev.riscvsandbox.testutil.Asm.SP;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static dev.riscvsandbox.testutil.Asm.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.riscvsandbox.memory.Memory;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Zero state leakage between requests: whatever a request writes to globals, the host-managed heap, the stack or
 * registers, every later request, on the same thread or another, starts from exactly the snapshot.
 */
class RequestIsolationPropertyTest {
    static final long DATA = 0x20000;
    // Globals: G (7 after main), then what on_recv observed at entry, for the test to read.
    static final long G = DATA, SEEN_G = DATA + 8, SEEN_PTR = DATA + 16, SEEN_HEAP = DATA + 24, SEEN_S1 = DATA + 32,
            SEEN_STACK = DATA + 40;

    /**
     * main: g = 7; s1 = 0x5151; wait_for_requests(on_recv). on_recv(x) records g, a fresh malloc(64)'s address and
     * contents, s1 and a stack word below sp, then overwrites all of them with x.
     */
    static byte[] tenant() {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(T0, G).li(T1, 7).sd(T1, 0, T0)
                .li(S1, 0x5151)
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv")
                .mv(S2, A0) // x
                .li(T0, G).ld(T1, 0, T0).li(T2, SEEN_G).sd(T1, 0, T2).sd(S2, 0, T0) // seen g; g = x
                .li(T2, SEEN_S1).sd(S1, 0, T2).mv(S1, S2) // seen s1; s1 = x
                .ld(T1, -256, SP).li(T2, SEEN_STACK).sd(T1, 0, T2).sd(S2, -256, SP) // seen stack word; = x
                .li(A0, 64).li(A7, 580).ecall() // p = malloc(64)
                .li(T2, SEEN_PTR).sd(A0, 0, T2)
                .ld(T1, 0, A0).li(T2, SEEN_HEAP).sd(T1, 0, T2).sd(S2, 0, A0) // seen *p; *p = x
                .li(A0, 0).ret();
        return TestElf.builder(64).text(a).data(DATA, new byte[64], 4096).build();
    }

    private static final TenantProgram PROGRAM;
    private static final long[] EXPECTED; // what a request sees in a fresh VM

    static {
        try {
            PROGRAM = TenantProgram.load(new TenantConfig("iso", Path.of("iso"), "test", List.of(), Limits.DEFAULTS),
                    tenant());
            EXPECTED = request(PROGRAM, 0);
        } catch (TenantLoadException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long[] request(TenantProgram p, long x) {
        try (TenantVm vm = p.fork()) {
            vm.callback(TenantProgram.ON_RECV, x);
            Memory mem = vm.machine().memory();
            return new long[] {mem.load64(SEEN_G), mem.load64(SEEN_PTR), mem.load64(SEEN_HEAP), mem.load64(SEEN_S1),
                    mem.load64(SEEN_STACK)};
        }
    }

    @Property(tries = 60)
    void everyRequestStartsFromTheSnapshot(@ForAll @Size(max = 30) List<Long> values) throws Exception {
        assertEquals(7, EXPECTED[0]);
        assertEquals(0, EXPECTED[2]);
        assertEquals(0x5151, EXPECTED[3]);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<long[]>> seen = new ArrayList<>();
            for (long x : values) {
                seen.add(pool.submit(() -> request(PROGRAM, x)));
            }
            for (Future<long[]> f : seen) {
                long[] s = f.get();
                for (int i = 0; i < s.length; i++) {
                    assertEquals(EXPECTED[i], s[i], "observation " + i);
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
