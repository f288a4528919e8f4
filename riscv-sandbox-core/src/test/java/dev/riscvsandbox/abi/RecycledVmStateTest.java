package dev.riscvsandbox.abi;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.T0;
import static dev.riscvsandbox.testutil.Asm.T1;
import static dev.riscvsandbox.testutil.Asm.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.tenant.Limits;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A recycled VM's host state starts as a fresh fork's would: regex handles a request compiled are gone, those
 * inherited from initialisation are back even if a request freed them, and the HTTP objects a request used are
 * empty and unavailable again. (The reset writes only what differs, so this checks that it finds every change.)
 */
class RecycledVmStateTest {
    private static final long DATA = 0x20000;
    /** Result slots: make's handle, probe0's match, probe1's match. */
    private static final long MADE = DATA, PROBE0 = DATA + 8, PROBE1 = DATA + 16;
    private static final long A_PLUS = DATA + 32, B_PLUS = DATA + 40, SUBJECT = DATA + 48, NAMES = DATA + 56;
    private static final String[] FUNCTIONS = {"make", "probe0", "probe1", "drop"};
    private static final int STOP = 0x7ff00073;

    /** main() compiles "a+" (handle 0) and registers the functions; each stores its result in a slot. */
    private static TenantProgram tenant() throws Exception {
        byte[] data = new byte[(int) (NAMES - DATA) + 8 * FUNCTIONS.length];
        put(data, A_PLUS, "a+");
        put(data, B_PLUS, "b+");
        put(data, SUBJECT, "ab");
        Asm a = Asm.rv64();
        a.label("_start");
        a.li(A0, A_PLUS).li(A1, 2).li(A7, 531).ecall();
        for (int i = 0; i < FUNCTIONS.length; i++) {
            long name = NAMES + 8L * i;
            put(data, name, FUNCTIONS[i]);
            a.li(A0, name).li(A1, FUNCTIONS[i].length()).la(A2, FUNCTIONS[i]).li(A7, 539).ecall();
        }
        a.la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv").li(A0, 0).ret();
        a.label("make").li(A0, B_PLUS).li(A1, 2).li(A7, 531).ecall().li(T0, MADE).sd(A0, 0, T0).li(A0, 0).ret();
        probe(a, "probe0", 0, PROBE0);
        probe(a, "probe1", 1, PROBE1);
        a.label("drop").li(A0, 0).li(A7, 535).ecall().li(A0, 0).ret();
        byte[] elf = TestElf.builder(64).text(a).data(DATA, data, 4096).build();
        return XmlCallsTest.load(elf, Limits.DEFAULTS);
    }

    private static void probe(Asm a, String name, int handle, long slot) {
        a.label(name).li(A0, handle).li(A1, SUBJECT).li(A2, 2).li(A7, 532).ecall()
                .li(T0, slot).sd(A0, 0, T0).li(A0, 0).ret();
    }

    private static void put(byte[] data, long address, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, data, (int) (address - DATA), b.length);
    }

    /**
     * The HTTP objects of one request are gone in the next. The first request either forges ({@code /f}; the forge
     * callback appends a header to the backend response) or continues and has on_deliver append a header to the
     * response ({@code /x}). The next request then tries, from on_recv, where none of these objects is available, to
     * read the response ({@code /p}), the backend request ({@code /q}) or the backend response ({@code /r}): only
     * leftovers of the first request would let it.
     */
    @ParameterizedTest
    @CsvSource({"/x, /p, 2", "/f, /q, 4", "/f, /r, 5"})
    void theHttpObjectsOfOneRequestAreGoneInTheNext(String first, String probe, int where) throws Exception {
        long buf = DATA, line = DATA + 128, type = DATA + 160;
        byte[] data = new byte[256];
        put(data, line, "X-Secret: 1");
        put(data, type, "text/plain");
        Asm a = Asm.rv64();
        a.label("_start").li(A0, 7).la(A1, "on_deliver").li(A7, 509).ecall();
        a.la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv").li(A0, 0).li(A1, 1).li(A2, buf).li(A3, 64).li(A7, 521).ecall(); // the URL
        a.li(T0, buf).lbu(T1, 1, T0).li(T2, 'f').bne(T1, T2, "probe");
        a.li(A0, 1).la(A1, "forged").li(A2, 0).li(A3, 0).li(A7, 512).ecall(); // forge: stops on_recv
        a.label("probe").li(T2, 'x').beq(T1, T2, "done");
        a.li(A0, where).li(A1, 3).li(A2, buf).li(A3, 64).li(A7, 521).ecall(); // field 3 of object `where`
        a.label("done").li(A0, 0).ret();
        a.label("forged").li(A0, 5).li(A1, line).li(A2, 11).li(A7, 522).ecall(); // to the backend response
        a.li(A0, 200).li(A1, type).li(A2, 10).li(A3, 0).li(A4, 0).word(STOP);
        a.label("on_deliver").li(A0, 2).li(A1, line).li(A2, 11).li(A7, 522).ecall().li(A0, 0).ret();
        byte[] elf = TestElf.builder(64).text(a).data(DATA, data, 4096).build();
        TenantProgram p = XmlCallsTest.load(elf, Limits.DEFAULTS);
        Machine machine;
        try (TenantVm vm = p.fork()) {
            machine = vm.machine();
            HookResult r = vm.onRecv(InMemoryRequest.get(first));
            if (first.equals("/f")) {
                assertEquals("1", ((HookResult.Forged) r).response().header("X-Secret").orElseThrow());
            } else {
                HttpResponse d = vm.onDeliver(InMemoryResponse.builder().status(200).build());
                assertEquals("1", d.header("X-Secret").orElseThrow());
            }
        }
        try (TenantVm vm = p.fork()) {
            assertSame(machine, vm.machine(), "the VM was recycled");
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get(probe)));
            assertTrue(e.getMessage().contains("HTTP object " + where + " is not available in recv"), e.getMessage());
        }
    }

    @Test
    void regexHandlesBelongToTheirRequest() throws Exception {
        TenantProgram p = tenant();
        Machine first;
        try (TenantVm vm = p.fork()) {
            first = vm.machine();
            assertNull(vm.call("make", ""));
            assertEquals(1, first.memory().load64(MADE), "the request's own regex gets the next handle");
            assertNull(vm.call("probe1", ""));
            assertEquals(1, first.memory().load64(PROBE1));
        }
        try (TenantVm vm = p.fork()) {
            assertSame(first, vm.machine(), "the VM was recycled");
            HookException e = assertThrows(HookException.class, () -> vm.call("probe1", ""));
            assertTrue(e.getMessage().contains("no regex with handle 1"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            assertSame(first, vm.machine());
            assertNull(vm.call("drop", ""));
            HookException e = assertThrows(HookException.class, () -> vm.call("probe0", ""));
            assertTrue(e.getMessage().contains("no regex with handle 0"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            assertSame(first, vm.machine());
            assertNull(vm.call("probe0", ""));
            assertEquals(1, first.memory().load64(PROBE0), "the handle from initialisation is back");
        }
    }
}
