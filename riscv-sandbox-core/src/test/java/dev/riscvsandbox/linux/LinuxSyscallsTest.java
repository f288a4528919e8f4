package dev.riscvsandbox.linux;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.A5;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.machine.RunResult;
import dev.riscvsandbox.memory.Memory;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * System calls one by one: argument registers, results, errors and what they write to guest memory. Each program
 * makes one call with a scratch buffer at {@link #BUF} and stops at an {@code ebreak}, so the test can inspect a0 and
 * memory.
 */
class LinuxSyscallsTest {
    static final long BUF = 0x20000;
    static final int EFAULT = 14, ENOENT = 2, EACCES = 13, ENOSYS = 38, EINVAL = 22;

    /** Runs {@code a7 = nr} with the given a0..a5 (use {@link #BUF} for pointers) and returns the machine. */
    static Machine callOn(int xlen, int nr, long... args) throws Exception {
        Asm a = new Asm(xlen, 0x10000);
        a.label("_start");
        int[] regs = {A0, A1, A2, A3, A4, A5};
        for (int i = 0; i < args.length; i++) {
            a.li(regs[i], args[i]);
        }
        a.li(A7, nr).ecall().ebreak();
        byte[] data = new byte[64];
        data[0] = 0x7f; // a non-empty string at BUF for path arguments
        data[1] = 0;
        Program p = Program.load(TestElf.builder(xlen).text(a).data(BUF, data, 8192).build());
        Machine m = Machine.builder(p).randomSeed(7).build();
        RunResult r = m.run();
        assertTrue(r instanceof RunResult.Faulted || r instanceof RunResult.Exited, r.toString());
        return m;
    }

    static Machine call(int nr, long... args) throws Exception {
        return callOn(64, nr, args);
    }

    @Test
    void rtSigactionTakesActAndOldactFromA1A2() throws Exception {
        Machine m = call(134, 13, 0, BUF + 8, 8);
        assertEquals(0, m.reg(10));
        assertEquals(0, m.memory().load64(BUF + 8)); // SIG_DFL
        assertEquals(-EFAULT, call(134, 13, 0, 8, 8).reg(10));
        Machine rv32 = callOn(32, 134, 13, 0, BUF + 8, 8);
        assertEquals(0, rv32.reg(10));
    }

    @Test
    void rtSigprocmaskTakesSetAndOldsetFromA1A2() throws Exception {
        assertEquals(0, call(135, 0, 0, BUF + 8, 8).reg(10));
        assertEquals(-EFAULT, call(135, 0, 0, 8, 8).reg(10));
    }

    @Test
    void unameNamesTheMachine() throws Exception {
        Machine m = call(160, BUF);
        assertEquals(0, m.reg(10));
        assertEquals("Linux", m.memory().readCString(BUF, 65));
        assertEquals("riscv64", m.memory().readCString(BUF + 4 * 65, 65));
        assertEquals("riscv32", callOn(32, 160, BUF).memory().readCString(BUF + 4 * 65, 65));
    }

    @Test
    void getrandomIsReproducibleWithASeed() throws Exception {
        Machine a = call(278, BUF, 32, 0);
        Machine b = call(278, BUF, 32, 0);
        assertEquals(32, a.reg(10));
        assertArrayEquals(a.memory().readBytes(BUF, 32), b.memory().readBytes(BUF, 32));
        assertNotEquals(0, a.memory().load64(BUF) | a.memory().load64(BUF + 8));
        assertEquals(-EFAULT, call(278, 0x100, 32, 0).reg(10));
    }

    @Test
    void clockGettimeWritesATimespec() throws Exception {
        Machine m = call(113, 0, BUF);
        assertEquals(0, m.reg(10));
        assertTrue(m.memory().load64(BUF) > 1_600_000_000L);
        assertTrue(m.memory().load64(BUF + 8) < 1_000_000_000L);
        assertEquals(-EINVAL, call(113, 99, BUF).reg(10));
    }

    @Test
    void theFileSystemIsNeverReached() throws Exception {
        assertEquals(-ENOENT, call(56, -100, BUF, 0, 0).reg(10));      // openat
        assertEquals(-EFAULT, call(56, -100, 0x100, 0, 0).reg(10));
        assertEquals(-ENOENT, call(78, -100, BUF, BUF + 16, 32).reg(10)); // readlinkat
        assertEquals(-ENOENT, call(79, -100, BUF, BUF + 16, 0).reg(10));  // newfstatat of a path
    }

    @Test
    void standardStreamsStatAsPipes() throws Exception {
        Machine m = call(80, 1, BUF);
        assertEquals(0, m.reg(10));
        assertEquals(LinuxProcess.PIPE_MODE, m.memory().load32(BUF + 16));
        assertEquals(4096, m.memory().load32(BUF + 56));
        assertEquals(-9, call(80, 7, BUF).reg(10)); // EBADF
        assertEquals(-25, call(29, 1, 0x5401, BUF).reg(10)); // ioctl TCGETS: ENOTTY
    }

    @Test
    void mmapNeverCreatesWritableExecutableMemory() throws Exception {
        assertEquals(-EACCES, call(222, 0, 4096, 7, 0x22, -1, 0).reg(10));
        Machine m = call(222, 0, 8192, 3, 0x22, -1, 0);
        long addr = m.reg(10);
        assertTrue(addr > 0 && (addr & 4095) == 0, Long.toHexString(addr));
        assertEquals(Memory.READ | Memory.WRITE, m.memory().permissions(addr));
        assertEquals(-EACCES, call(222, 0, 4096, 3, 0x02, 3, 0).reg(10)); // file mappings
        assertEquals(-EACCES, call(226, 0x10000, 4096, 3).reg(10));       // mprotect code writable
    }

    @Test
    void brkGrowsWithinItsArea() throws Exception {
        Machine m = call(214, 0);
        long start = m.reg(10);
        assertTrue(start > BUF);
        Machine grown = call(214, start + 100_000);
        assertEquals(start + 100_000, grown.reg(10));
        assertEquals(Memory.READ | Memory.WRITE, grown.memory().permissions(start + 99_999));
    }

    @Test
    void writeChecksItsBuffer() throws Exception {
        assertEquals(-EFAULT, call(64, 1, 0x100, 4).reg(10));
        assertEquals(-9, call(64, 5, BUF, 4).reg(10));
        assertEquals(-EINVAL, call(66, 1, BUF, 100_000).reg(10)); // writev: too many iovecs
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void hugeRangesAreRejectedOrChargedNotWalked() throws Exception {
        long stackPage = Machine.STACK_TOP - 4096;
        assertEquals(-12, call(216, stackPage, 4096, 1L << 62, 0).reg(10));        // mremap: ENOMEM at once
        assertEquals(-12, call(216, stackPage, 4096, Long.MAX_VALUE, 0).reg(10));    // no pageUp overflow
        assertEquals(-EINVAL, call(216, 0x10000, 4096, 8192, 1).reg(10));            // code cannot move
        Machine m = call(215, 0x1_0000_0000L, 0xFF_0000_0000L);                      // munmap of 1 TiB of nothing
        assertEquals(0, m.reg(10));
        assertTrue(m.instructions() > 0xFF_0000_0000L / 4096, "host work is charged to the budget");
    }

    @Test
    void writeOnlyMappingsAreReadableAsOnLinux() throws Exception {
        Machine m = call(222, 0, 4096, 2, 0x22, -1, 0);
        assertEquals(Memory.READ | Memory.WRITE, m.memory().permissions(m.reg(10)));
    }

    @Test
    void rv32PointersAndSizesAreUnsigned() throws Exception {
        // 0x90000000 is a negative register value on RV32; as a length it is 2.25 GiB, which does not fit: ENOMEM
        assertEquals(-12, (int) callOn(32, 222, 0, 0x9000_0000L, 3, 0x22, -1, 0).reg(10));
        Machine ok = callOn(32, 222, 0, 0x10_0000, 3, 0x22, -1, 0);
        assertTrue((ok.reg(10) & 0xFFFF_FFFFL) > 0x1000);
    }

    @Test
    void killEndsTheProcessLikeAnAbort() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").li(A0, 1000).li(A1, 6).li(A7, 129).ecall().ebreak();
        Machine m = Machine.builder(Program.load(TestElf.of(a))).build();
        assertEquals(134, ((RunResult.Exited) m.run()).status());
    }

    @Test
    void unknownCallsAreEnosys() throws Exception {
        assertEquals(-ENOSYS, call(293, 0, 0, 0, 0).reg(10)); // rseq: glibc copes
        assertEquals(-ENOSYS, call(435, 0).reg(10));          // clone3
    }

    @Test
    void initialStackFollowsTheLinuxLayout() throws Exception {
        Asm a = Asm.rv64();
        a.label("_start").ebreak();
        Program p = Program.load(TestElf.of(a));
        Machine m = Machine.builder(p).args("prog", "x y").env("K=V").randomSeed(1).build();
        m.run();
        Memory mem = m.memory();
        long sp = m.reg(2);
        assertEquals(0, sp & 15);
        assertEquals(2, mem.load64(sp));
        assertEquals("prog", mem.readCString(mem.load64(sp + 8), 64));
        assertEquals("x y", mem.readCString(mem.load64(sp + 16), 64));
        assertEquals(0, mem.load64(sp + 24));
        assertEquals("K=V", mem.readCString(mem.load64(sp + 32), 64));
        assertEquals(0, mem.load64(sp + 40));
        long auxv = sp + 48;
        java.util.Map<Long, Long> aux = new java.util.HashMap<>();
        for (long e = auxv; ; e += 16) {
            long key = mem.load64(e);
            if (key == 0) {
                break;
            }
            aux.put(key, mem.load64(e + 8));
        }
        assertEquals(4096L, aux.get(6L));                       // AT_PAGESZ
        assertEquals(p.entry(), aux.get(9L));                   // AT_ENTRY
        assertEquals((long) p.elf().phnum(), aux.get(5L));      // AT_PHNUM
        assertEquals(0L, aux.get(23L));                         // AT_SECURE
        long phdr = aux.get(3L);                                // AT_PHDR: the first program header's p_type
        assertEquals(p.elf().programHeaders().get(0).type(), mem.load32(phdr));
        byte[] random = mem.readBytes(aux.get(25L), 16);        // AT_RANDOM
        assertNotEquals(0, java.nio.ByteBuffer.wrap(random).getLong());
        assertEquals("riscv64", mem.readCString(aux.get(15L), 16));
        assertTrue(new String(mem.readBytes(aux.get(31L), 4), StandardCharsets.US_ASCII).startsWith("prog"));
    }
}
