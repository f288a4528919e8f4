package dev.riscvsandbox.cli;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract: exit statuses, messages and --stats. */
class MainTest {
    @TempDir
    Path dir;

    record Outcome(int status, String out, String err) {
    }

    static Outcome cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, Asm a) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, TestElf.of(a));
        return p;
    }

    @Test
    void exitStatusAndOutputAreTheGuests() throws IOException {
        Asm a = Asm.rv64();
        a.label("_start").li(A0, 1).la(Asm.A1, "msg").li(Asm.A2, 3).li(A7, 64).ecall()
                .li(A0, 42).li(A7, 93).ecall().label("msg").word(0x0a6b6f);
        Outcome o = cli("run", write("ok.elf", a).toString());
        assertEquals(42, o.status());
        assertEquals("ok\n", o.out());
        assertEquals("", o.err());
    }

    @Test
    void budgetExhaustionExits124WithOneLine() throws IOException {
        Asm a = Asm.rv64();
        a.label("_start").label("spin").j("spin");
        Outcome o = cli("run", "--max-instructions", "1000", write("spin.elf", a).toString());
        assertEquals(124, o.status());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("instruction budget of 1000 exhausted"), o.err());
    }

    @Test
    void guestFaultExits125WithKindPcSymbolAndAddress() throws IOException {
        Asm a = Asm.rv64();
        a.label("_start").li(T0, 0x1230).label("bad_load").ld(A0, 8, T0);
        Path p = write("fault.elf", a);
        Outcome o = cli("run", p.toString());
        assertEquals(125, o.status());
        String expected = "load access fault at pc 0x" + Long.toHexString(a.address("bad_load"))
                + " (bad_load): address 0x1238";
        assertTrue(o.err().contains(expected), o.err());
    }

    @Test
    void statsReportInstructionsTimeAndMips() throws IOException {
        Asm a = Asm.rv64();
        a.label("_start").li(A0, 0).li(A7, 93).ecall();
        Outcome o = cli("run", "--stats", write("stats.elf", a).toString());
        assertEquals(0, o.status());
        assertTrue(o.err().contains("instructions: 3"), o.err());
        assertTrue(o.err().contains("wall time: "), o.err());
        assertTrue(o.err().contains("guest MIPS: "), o.err());
    }

    @Test
    void memoryLimitOptionIsEnforced() throws IOException {
        Asm a = Asm.rv64();
        // touch 2 MiB of stack: more than a 1 MiB limit allows
        a.label("_start").li(T0, 512).li(Asm.T1, 4096).label("loop").sub(Asm.SP, Asm.SP, Asm.T1).sd(T0, 0, Asm.SP)
                .addi(T0, T0, -1).bnez(T0, "loop").li(A0, 0).li(A7, 93).ecall();
        Path p = write("mem.elf", a);
        assertEquals(0, cli("run", "--max-memory", "4M", p.toString()).status());
        Outcome o = cli("run", "--max-memory", "1M", p.toString());
        assertEquals(125, o.status());
        assertTrue(o.err().contains("out of memory"), o.err());
    }

    @Test
    void usageErrorsExit2() {
        assertEquals(2, cli().status());
        assertEquals(2, cli("run").status());
        assertEquals(2, cli("run", "--max-instructions", "x", "a.elf").status());
        assertEquals(2, cli("run", "--bogus", "a.elf").status());
        Outcome missing = cli("run", dir.resolve("missing.elf").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void malformedElfIsReportedNotThrown() throws IOException {
        Path p = dir.resolve("junk.elf");
        Files.write(p, "not an elf".getBytes(StandardCharsets.US_ASCII));
        Outcome o = cli("run", p.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("not a loadable RISC-V program"), o.err());
    }
}
