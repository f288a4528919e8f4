package dev.riscvsandbox.machine;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.elf.ElfException;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import org.junit.jupiter.api.Test;

/** What Program.load accepts and refuses, beyond what the ELF parser checks. */
class ProgramLoadTest {
    @Test
    void aHighRv64ImageGetsItsStackAndHeapAboveIt() throws Exception {
        Asm a = new Asm(64, 0x1_0000_0000L);
        a.label("_start").addi(Asm.SP, Asm.SP, -16).sd(A0, 0, Asm.SP).li(A0, 7).li(A7, 93).ecall();
        Program p = Program.load(TestElf.builder(64).text(0x1_0000_0000L, a.code()).build());
        Machine m = Machine.builder(p).build();
        assertEquals(7, ((RunResult.Exited) m.run()).status());
        assertTrue(m.reg(2) > 0x1_0000_0000L);
    }

    @Test
    void anRv32ImageTooHighForTheLayoutIsRefused() {
        Asm a = new Asm(32, 0x7000_0000L);
        a.label("_start").li(A7, 93).ecall();
        ElfException e = assertThrows(ElfException.class,
                () -> Program.load(TestElf.builder(32).text(0x7000_0000L, a.code()).build()));
        assertTrue(e.getMessage().contains("highest address"), e.getMessage());
    }

    @Test
    void oversizedImagesAreRefusedWithAnElfException() {
        Asm a = Asm.rv64();
        a.label("_start").li(A7, 93).ecall();
        byte[] elf = TestElf.builder(64).text(a).data(0x20000, new byte[8], 2L << 30).build();
        ElfException e = assertThrows(ElfException.class, () -> Program.load(elf));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }
}
