package dev.riscvsandbox.security;

import static dev.riscvsandbox.security.Review.DATA;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantVm;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test from a security review: a storage function that exits fails only its caller and the storage VM "serves the next caller"
 * (withStorage clears the exit), but the live-update hand-over uses withExistingStorage, which does not. After one
 * storage call exited, every update to a program with on_resume_update fails ("state hand-over failed") until some
 * request makes another storage call: an operator cannot ship the fix for exactly this bug.
 */
class LiveUpdateAfterStorageExitTest {
    static byte[] oldProgram() {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(A0, 10).la(A1, "save").li(A7, 509).ecall()
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv").la(A0, "die").li(A7, 507).ecall().ret(); // storage_call(die)
        a.label("die").li(A0, 3).li(A7, 93).ecall(); // exit(3) inside the storage VM
        a.label("save").li(A0, DATA).li(A1, 8).word(Review.STOP);
        return TestElf.builder(64).text(a).data(DATA, new byte[16], 4096).build();
    }

    static byte[] newProgram() {
        Asm a = Asm.rv64();
        a.label("_start")
                .li(A0, 11).la(A1, "resume").li(A7, 509).ecall()
                .li(A0, 0).li(A1, 0).li(A7, 510).ecall();
        a.label("resume").li(A0, 0).ret();
        return TestElf.of(a);
    }

    @Test
    void anExitedStorageVmStillHandsOver(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.elf");
        Files.write(f, oldProgram());
        try (Sandbox s = Sandbox.fromJson("{\"t.com\": {\"filename\": \"" + f + "\"}}")) {
            try (TenantVm vm = s.fork("t.com")) {
                assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
            }
            assertTrue(s.update("t.com", newProgram()), "state handed over");
        }
    }
}
