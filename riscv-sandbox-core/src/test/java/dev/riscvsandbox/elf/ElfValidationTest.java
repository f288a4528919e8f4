package dev.riscvsandbox.elf;

import static dev.riscvsandbox.elf.ElfImages.CODE_OFF;
import static dev.riscvsandbox.elf.ElfImages.DATA_SIZE;
import static dev.riscvsandbox.elf.ElfImages.DT_NULL;
import static dev.riscvsandbox.elf.ElfImages.DT_RELA;
import static dev.riscvsandbox.elf.ElfImages.DT_RELAENT;
import static dev.riscvsandbox.elf.ElfImages.DT_RELASZ;
import static dev.riscvsandbox.elf.ElfImages.DT_RELR;
import static dev.riscvsandbox.elf.ElfImages.DT_RELRENT;
import static dev.riscvsandbox.elf.ElfImages.DT_RELRSZ;
import static dev.riscvsandbox.elf.ElfImages.PIE_DATA;
import static dev.riscvsandbox.elf.ElfImages.R_RELATIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.elf.ElfImages.H;
import dev.riscvsandbox.elf.ElfImages.P;
import dev.riscvsandbox.elf.ElfImages.PieOptions;
import dev.riscvsandbox.elf.ElfImages.S;
import dev.riscvsandbox.elf.ElfImages.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every validation rule: a malformed image is rejected with an {@link ElfException} that says precisely why. */
class ElfValidationTest {

    /** Asserts rejection and that the message contains every fragment; returns the message. */
    private static String assertRejected(byte[] bytes, String... fragments) {
        ElfException e = assertThrows(ElfException.class, () -> ElfFile.parse(bytes));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message \"" + e.getMessage() + "\" does not contain \"" + fragment + "\"");
        }
        return e.getMessage();
    }

    private static byte[] exec(boolean is64) {
        return ElfImages.exec(is64).bytes();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String elf(boolean is64) {
        return is64 ? "ELF64" : "ELF32";
    }

    // ------------------------------------------------------------------------------------------ identification

    @Test
    void tooShortForIdentification() {
        assertRejected(new byte[0], "file too short for an ELF identification: 0 bytes, need 16");
        assertRejected(Arrays.copyOf(exec(true), 15), "15 bytes");
    }

    @Test
    void badMagic() {
        byte[] b = exec(true);
        b[3] = 'G';
        assertRejected(b, "not an ELF file: magic is 7f 45 4c 47, expected 7f 45 4c 46");
        assertRejected("#!/bin/sh\necho hi\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "not an ELF file");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 255})
    void badClass(int elfClass) {
        byte[] b = exec(true);
        b[4] = (byte) elfClass;
        assertRejected(b, "unsupported ELF class " + elfClass);
    }

    @Test
    void bigEndianAndInvalidDataEncoding() {
        byte[] b = exec(false);
        b[5] = 2;
        assertRejected(b, "unsupported data encoding 2", "big-endian RISC-V is not supported");
        b[5] = 0;
        assertRejected(b, "unsupported data encoding 0");
    }

    @Test
    void badIdentVersion() {
        byte[] b = exec(true);
        b[6] = 0;
        assertRejected(b, "EI_VERSION must be 1");
    }

    @Test
    void unsupportedOsAbi() {
        byte[] b = exec(true);
        b[7] = 9; // FreeBSD
        assertRejected(b, "unsupported OS ABI 9");
    }

    // ------------------------------------------------------------------------------------------------ header

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tooShortForHeader(boolean is64) {
        int need = is64 ? 64 : 52;
        assertRejected(Arrays.copyOf(exec(is64), need - 1),
                "file too short for an " + elf(is64) + " header: " + (need - 1) + " bytes, need " + need);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unsupportedType(boolean is64) {
        assertRejected(ElfImages.withHeader(exec(is64), H.TYPE, 1), "unsupported ELF type ET_REL (1)",
                "ET_EXEC (2) or ET_DYN (3)");
        assertRejected(ElfImages.withHeader(exec(is64), H.TYPE, 4), "ET_CORE (4)");
        assertRejected(ElfImages.withHeader(exec(is64), H.TYPE, 0), "ET_NONE (0)");
        assertRejected(ElfImages.withHeader(exec(is64), H.TYPE, 0xfe00), "0xfe00 (65024)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void wrongMachine(boolean is64) {
        assertRejected(ElfImages.withHeader(exec(is64), H.MACHINE, 62),
                "unsupported machine 62: e_machine must be EM_RISCV (243)");
    }

    @Test
    void wrongVersion() {
        assertRejected(ElfImages.withHeader(exec(true), H.VERSION, 2), "unsupported ELF version 2");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void wrongHeaderSize(boolean is64) {
        assertRejected(ElfImages.withHeader(exec(is64), H.EHSIZE, 63),
                "e_ehsize is 63, expected " + (is64 ? 64 : 52) + " for " + elf(is64));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void wrongProgramHeaderEntrySize(boolean is64) {
        int wrong = is64 ? 32 : 56;
        assertRejected(ElfImages.withHeader(exec(is64), H.PHENTSIZE, wrong),
                "e_phentsize is " + wrong + ", expected " + (is64 ? 56 : 32) + " for " + elf(is64));
    }

    @Test
    void noProgramHeaders() {
        assertRejected(ElfImages.withHeader(exec(true), H.PHNUM, 0), "no program headers (e_phnum is 0)");
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 0xffff})
    void tooManyProgramHeaders(int phnum) {
        assertRejected(ElfImages.withHeader(exec(true), H.PHNUM, phnum),
                "too many program headers: e_phnum is " + phnum + ", at most 128");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void programHeaderTableOutsideFile(boolean is64) {
        byte[] b = exec(is64);
        int ent = is64 ? 56 : 32;
        long phoff = b.length - 3L * ent; // 4 entries, one past the end
        assertRejected(ElfImages.withHeader(b, H.PHOFF, phoff), "program header table " + hex(phoff) + "+"
                + hex(4L * ent) + " exceeds file size " + hex(b.length));
        long huge = is64 ? -8L : 0xffff_fff8L; // offset + size overflows
        assertRejected(ElfImages.withHeader(b, H.PHOFF, huge), "program header table " + hex(huge));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void wrongSectionHeaderEntrySize(boolean is64) {
        int wrong = is64 ? 40 : 64;
        assertRejected(ElfImages.withHeader(exec(is64), H.SHENTSIZE, wrong),
                "e_shentsize is " + wrong + ", expected " + (is64 ? 64 : 40) + " for " + elf(is64));
    }

    @Test
    void tooManySections() {
        assertRejected(ElfImages.withHeader(exec(true), H.SHNUM, 4097),
                "too many section headers: e_shnum is 4097, at most 4096");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sectionHeaderTableOutsideFile(boolean is64) {
        byte[] b = exec(is64);
        long shoff = ElfImages.header(b, H.SHOFF) + 1;
        assertRejected(ElfImages.withHeader(b, H.SHOFF, shoff), "section header table " + hex(shoff) + "+",
                "exceeds file size " + hex(b.length));
        assertRejected(ElfImages.withHeader(b, H.SHOFF, is64 ? -64L : 0xffff_ffc0L), "section header table");
    }

    @Test
    void badSectionNameTableIndex() {
        byte[] b = exec(true);
        int shnum = (int) ElfImages.header(b, H.SHNUM);
        assertRejected(ElfImages.withHeader(b, H.SHSTRNDX, 0xffff), "e_shstrndx is SHN_XINDEX");
        assertRejected(ElfImages.withHeader(b, H.SHSTRNDX, shnum),
                "e_shstrndx " + shnum + " is out of range (e_shnum is " + shnum + ")");
        assertRejected(ElfImages.withHeader(b, H.SHSTRNDX, ElfImages.SEC_TEXT),
                "e_shstrndx 1 refers to a section of type 1, not SHT_STRTAB (3)");
    }

    // ----------------------------------------------------------------------------------------------- sections

    @Test
    void firstSectionMustBeNull() {
        assertRejected(ElfImages.withShdr(exec(true), 0, S.TYPE, 1), "section 0: type is 1",
                "must be SHT_NULL");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sectionDataOutsideFile(boolean is64) {
        byte[] b = exec(is64);
        int strtab = ElfImages.sectionIndex(b, ".strtab");
        long size = ElfImages.shdr(b, strtab, S.SIZE);
        long offset = ElfImages.shdr(b, strtab, S.OFFSET);
        assertRejected(ElfImages.withShdr(b, strtab, S.SIZE, b.length), "section " + strtab + ": file range "
                + hex(offset) + "+" + hex(b.length) + " exceeds file size " + hex(b.length));
        long huge = is64 ? -2L : 0xffff_fffeL;
        assertRejected(ElfImages.withShdr(b, strtab, S.OFFSET, huge), "section " + strtab + ": file range "
                + hex(huge) + "+" + hex(size));
        // NOBITS sections occupy no file space, so their offset and size are not checked.
        int bss = ElfImages.sectionIndex(b, ".bss");
        byte[] nobits = ElfImages.withShdr(ElfImages.withShdr(b, bss, S.OFFSET, huge), bss, S.SIZE, huge);
        assertEquals(12, assertDoesNotReject(nobits).symbols().size());
    }

    private static ElfFile assertDoesNotReject(byte[] bytes) {
        try {
            return ElfFile.parse(bytes);
        } catch (ElfException e) {
            throw new AssertionError("unexpected rejection: " + e.getMessage(), e);
        }
    }

    @Test
    void sectionNameOffsetOutOfRange() {
        byte[] b = exec(true);
        int shstrndx = (int) ElfImages.header(b, H.SHSTRNDX);
        long size = ElfImages.shdr(b, shstrndx, S.SIZE);
        assertRejected(ElfImages.withShdr(b, 1, S.NAME, size), "section 1: name offset " + hex(size)
                + " is outside the section name table (section " + shstrndx + ") (size " + hex(size) + ")");
    }

    @Test
    void sectionNameNotTerminated() {
        byte[] b = exec(false);
        int shstrndx = (int) ElfImages.header(b, H.SHSTRNDX);
        long size = ElfImages.shdr(b, shstrndx, S.SIZE);
        // ".shstrtab" is the last name in the table; cutting the table by one byte drops its NUL.
        assertRejected(ElfImages.withShdr(b, shstrndx, S.SIZE, size - 1), "section " + shstrndx + ": name at offset",
                "is not NUL-terminated within the section name table");
    }

    // ---------------------------------------------------------------------------------------- program headers

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void segmentFileRangeExceedsFile(boolean is64) {
        byte[] b = exec(is64);
        String msg = assertRejected(ElfImages.withPhdr(b, 1, P.FILESZ, 0x5000));
        assertEquals("program header 1 (PT_LOAD): segment file range 0x500+0x5000 exceeds file size "
                + hex(b.length), msg);
        long hugeOffset = is64 ? -0x100L : 0xffff_ff00L; // offset + filesz overflows
        assertRejected(ElfImages.withPhdr(b, 1, P.OFFSET, hugeOffset),
                "program header 1 (PT_LOAD): segment file range " + hex(hugeOffset) + "+0x40 exceeds file size");
        // Applies to every non-null segment type, e.g. PT_GNU_STACK.
        assertRejected(ElfImages.withPhdr(b, 3, P.FILESZ, b.length + 1L), "program header 3 (PT_GNU_STACK)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void loadFileSizeExceedsMemorySize(boolean is64) {
        assertRejected(ElfImages.withPhdr(exec(is64), 1, P.MEMSZ, DATA_SIZE - 1),
                "program header 1 (PT_LOAD): file size 0x40 exceeds memory size 0x3f");
    }

    @Test
    void segmentMemorySizeOverFourGiB() {
        assertRejected(ElfImages.withPhdr(exec(true), 1, P.MEMSZ, (1L << 32) + 1),
                "program header 1 (PT_LOAD): memory size 0x100000001 exceeds the 4 GiB limit");
    }

    @Test
    void segmentAddressRangeWraps() {
        byte[] b = ElfImages.withPhdr(exec(true), 1, P.VADDR, -0x100L);
        assertRejected(b, "program header 1 (PT_LOAD): address range 0xffffffffffffff00+0x140 wraps around the "
                + "64-bit address space");
        // Also for non-load segments.
        assertRejected(ElfImages.withPhdr(ElfImages.withPhdr(exec(true), 3, P.VADDR, -1L), 3, P.MEMSZ, 2),
                "program header 3 (PT_GNU_STACK): address range");
    }

    @Test
    void elf32SegmentBeyondFourGiB() {
        byte[] b = ElfImages.withPhdr(exec(false), 1, P.VADDR, 0xffff_ff00L);
        assertRejected(b, "program header 1 (PT_LOAD): address range 0xffffff00+0x140 exceeds the 32-bit address "
                + "space");
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 0x1001, 0x30})
    void alignmentNotPowerOfTwo(long align) {
        assertRejected(ElfImages.withPhdr(exec(true), 1, P.ALIGN, align),
                "program header 1 (PT_LOAD): alignment " + hex(align) + " is not a power of two");
    }

    @Test
    void loadAddressNotCongruentWithOffset() {
        assertRejected(ElfImages.withPhdr(exec(true), 1, P.VADDR, ElfImages.EXEC_DATA + 8),
                "program header 1 (PT_LOAD): virtual address 0x20508 and file offset 0x500 are not congruent "
                        + "modulo the alignment 0x1000");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tlsSizes(boolean is64) {
        assertRejected(ElfImages.withPhdr(exec(is64), 2, P.FILESZ, 0x21),
                "program header 2 (PT_TLS): file size 0x21 exceeds memory size 0x20");
        if (is64) {
            assertRejected(ElfImages.withPhdr(exec(true), 2, P.MEMSZ, 1L << 33),
                    "program header 2 (PT_TLS): memory size 0x200000000 exceeds the 4 GiB limit");
        }
    }

    @Test
    void duplicateSingletonSegments() {
        assertRejected(ElfImages.withPhdr(exec(true), 3, P.TYPE, ProgramHeader.PT_TLS),
                "program header 3 (PT_TLS): more than one PT_TLS segment");
        byte[] pie = ElfImages.pie(true).bytes();
        int dyn = ElfImages.phdrIndex(pie, ProgramHeader.PT_DYNAMIC, 0);
        assertRejected(ElfImages.withPhdr(pie, 3, P.TYPE, ProgramHeader.PT_DYNAMIC),
                "program header " + dyn + " (PT_DYNAMIC): more than one PT_DYNAMIC segment");
    }

    @Test
    void interpreterMustBeNulTerminatedAndUnique() {
        byte[] b = exec(true);
        // Turn PT_GNU_STACK (index 3) into a PT_INTERP over the magic "\177ELF": no NUL in those 4 bytes.
        byte[] interp = ElfImages.withPhdr(b, 3, P.TYPE, ProgramHeader.PT_INTERP);
        interp = ElfImages.withPhdr(interp, 3, P.OFFSET, 0);
        interp = ElfImages.withPhdr(interp, 3, P.FILESZ, 4);
        interp = ElfImages.withPhdr(interp, 3, P.MEMSZ, 4);
        assertRejected(interp, "program header 3 (PT_INTERP): interpreter path is not NUL-terminated");
        assertRejected(ElfImages.withPhdr(interp, 3, P.FILESZ, 0), "interpreter path size 0x0 is not in 1..4096");
        // Offset 8 holds a zero byte of the header: a valid (empty) path; a second PT_INTERP is still rejected.
        byte[] two = ElfImages.withPhdr(interp, 3, P.OFFSET, 8);
        two = ElfImages.withPhdr(two, 2, P.TYPE, ProgramHeader.PT_INTERP);
        two = ElfImages.withPhdr(two, 2, P.OFFSET, 8);
        assertRejected(two, "program header 3 (PT_INTERP): more than one PT_INTERP segment");
    }

    // ------------------------------------------------------------------------------------------------- entry

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void entryOutsideExecutableSegment(boolean is64) {
        ElfImages.Image img = ElfImages.exec(is64);
        String expected = " is not inside the file-backed part of an executable PT_LOAD segment";
        assertRejected(ElfImages.withHeader(img.bytes(), H.ENTRY, img.data()), "entry point " + hex(img.data())
                + expected);
        long end = img.text() + CODE_OFF + ElfImages.CODE_SIZE; // one past the last code byte
        assertRejected(ElfImages.withHeader(img.bytes(), H.ENTRY, end), "entry point " + hex(end) + expected);
        assertRejected(ElfImages.withHeader(img.bytes(), H.ENTRY, img.text() - 2), expected);
        // In the zero-filled tail of an executable segment: no code there.
        byte[] bss = ElfImages.withPhdr(img.bytes(), 0, P.MEMSZ, 0x2000);
        assertRejected(ElfImages.withHeader(bss, H.ENTRY, img.text() + 0x1000), expected);
    }

    @Test
    void noExecutableSegment() {
        byte[] b = ElfImages.withPhdr(exec(true), 0, P.FLAGS, ProgramHeader.PF_R);
        assertRejected(b, "no executable PT_LOAD segment (entry point 0x10400)");
        byte[] noLoads = ElfImages.withPhdr(ElfImages.withPhdr(exec(false), 0, P.TYPE, ProgramHeader.PT_NOTE), 1,
                P.TYPE, ProgramHeader.PT_NOTE);
        assertRejected(noLoads, "no executable PT_LOAD segment");
    }

    @Test
    void entryNotAligned() {
        assertRejected(ElfImages.withHeader(exec(true), H.ENTRY, ElfImages.EXEC_TEXT + CODE_OFF + 1),
                "entry point 0x10401 is not 2-byte aligned");
    }

    // ------------------------------------------------------------------------------------------------ symbols

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void symbolTableEntrySize(boolean is64) {
        byte[] b = exec(is64);
        int symtab = ElfImages.sectionIndex(b, ".symtab");
        assertRejected(ElfImages.withShdr(b, symtab, S.ENTSIZE, 0x10 + 8L * (is64 ? 0 : 1)),
                "section " + symtab + " (.symtab): entry size", "expected " + (is64 ? 24 : 16));
        long size = ElfImages.shdr(b, symtab, S.SIZE);
        assertRejected(ElfImages.withShdr(b, symtab, S.SIZE, size - 1), "section " + symtab + " (.symtab): size "
                + hex(size - 1) + " is not a multiple of the entry size " + (is64 ? 24 : 16));
    }

    @Test
    void tooManySymbols() {
        byte[] small = exec(false);
        long count = 1_000_001;
        byte[] b = Arrays.copyOf(small, (int) (count * 16 + 64));
        int symtab = ElfImages.sectionIndex(b, ".symtab");
        b = ElfImages.withShdr(b, symtab, S.OFFSET, 64);
        b = ElfImages.withShdr(b, symtab, S.SIZE, count * 16);
        assertRejected(b, "section " + symtab + " (.symtab): 1000001 symbols, at most 1000000 are supported");
    }

    @Test
    void symbolTableLinkMustBeAStringTable() {
        byte[] b = exec(true);
        int symtab = ElfImages.sectionIndex(b, ".symtab");
        int shnum = (int) ElfImages.header(b, H.SHNUM);
        assertRejected(ElfImages.withShdr(b, symtab, S.LINK, shnum), "section " + symtab + " (.symtab): sh_link "
                + shnum + " is not a valid section index (e_shnum is " + shnum + ")");
        assertRejected(ElfImages.withShdr(b, symtab, S.LINK, 0), "sh_link 0 is not a valid section index");
        assertRejected(ElfImages.withShdr(b, symtab, S.LINK, 0xffff_ffffL), "sh_link 4294967295 is not a valid");
        assertRejected(ElfImages.withShdr(b, symtab, S.LINK, ElfImages.SEC_TEXT),
                "sh_link 1 refers to section 1 (.text) of type 1, not SHT_STRTAB (3)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void symbolNameOutOfRange(boolean is64) {
        byte[] b = exec(is64);
        int symtab = ElfImages.sectionIndex(b, ".symtab");
        int strtab = ElfImages.sectionIndex(b, ".strtab");
        long strSize = ElfImages.shdr(b, strtab, S.SIZE);
        long sym1 = ElfImages.shdr(b, symtab, S.OFFSET) + (is64 ? 24 : 16);
        byte[] bad = ElfImages.write(b, sym1, 4, strSize + 5);
        assertRejected(bad, "symbol 1 in section " + symtab + " (.symtab): name offset " + hex(strSize + 5)
                + " is outside section " + strtab + " (.strtab) (size " + hex(strSize) + ")");
    }

    @Test
    void symbolNameNotTerminated() {
        byte[] b = exec(true);
        int strtab = ElfImages.sectionIndex(b, ".strtab");
        long size = ElfImages.shdr(b, strtab, S.SIZE);
        // "__gmon_start__" is the last name; it loses its NUL.
        assertRejected(ElfImages.withShdr(b, strtab, S.SIZE, size - 1), "symbol 14 in section",
                "is not NUL-terminated within section " + strtab + " (.strtab)");
    }

    @Test
    void symbolSectionIndexOutOfRange() {
        byte[] b = exec(true);
        int symtab = ElfImages.sectionIndex(b, ".symtab");
        int shnum = (int) ElfImages.header(b, H.SHNUM);
        long sym6 = ElfImages.shdr(b, symtab, S.OFFSET) + 6 * 24; // "_start"
        assertRejected(ElfImages.write(b, sym6 + 6, 2, 200), "symbol 6 (_start) in section " + symtab
                + " (.symtab): section index 200 is out of range (e_shnum is " + shnum + ")");
        // Reserved indexes (SHN_ABS, SHN_COMMON, ...) are fine.
        assertDoesNotReject(ElfImages.write(b, sym6 + 6, 2, 0xfff2));
    }

    @Test
    void moreThanOneSymbolTable() {
        byte[] b = exec(true);
        int symtab = ElfImages.sectionIndex(b, ".symtab");
        assertRejected(ElfImages.withShdr(b, ElfImages.SEC_DATA, S.TYPE, ElfImages.SHT_SYMTAB),
                "more than one SHT_SYMTAB section: section 2 (.data) and section " + symtab + " (.symtab)");
    }

    @Test
    void stringTableDecodingBudget() throws ElfException {
        // One long name referenced at many distinct offsets: quadratic work unless capped.
        byte[] data = new byte[1 << 20];
        Arrays.fill(data, (byte) 'a');
        data[data.length - 1] = 0;
        StringTable table = new StringTable(new ByteReader(data), 0, data.length, "test table");
        assertEquals(data.length - 1, table.get(0, "x").length());
        assertEquals(data.length - 1, table.get(0, "x").length()); // cached: no budget used
        ElfException e = assertThrows(ElfException.class, () -> {
            for (int i = 1; i < 100; i++) {
                table.get(i, "symbol " + i);
            }
        });
        assertTrue(e.getMessage().contains("names in test table exceed the decoding budget"), e::getMessage);
    }

    // -------------------------------------------------------------------------------------------- relocations

    private static byte[] pie(boolean is64, List<long[]> rela) {
        PieOptions o = new PieOptions();
        o.rela = rela;
        return ElfImages.pie(is64, o).bytes();
    }

    private static byte[] pieWithDynamic(boolean is64, Function<Tables, List<long[]>> dynamic) {
        PieOptions o = new PieOptions();
        o.dynamic = dynamic;
        return ElfImages.pie(is64, o).bytes();
    }

    private static byte[] pieWithRelr(boolean is64, long... relr) {
        PieOptions o = new PieOptions();
        o.rela = List.of();
        o.relr = relr;
        return ElfImages.pie(is64, o).bytes();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unsupportedRelocationTypes(boolean is64) {
        long word = is64 ? 2 : 1;
        String wordName = is64 ? "R_RISCV_64 (2)" : "R_RISCV_32 (1)";
        String msg = assertRejected(pie(is64, List.of(new long[] {PIE_DATA, word, 1, 0})));
        assertEquals("relocation 0 in PT_DYNAMIC DT_RELA at 0x1500: unsupported relocation type " + wordName
                + "; a static PIE may only contain R_RISCV_RELATIVE and R_RISCV_NONE", msg);
        assertRejected(pie(is64, List.of(new long[] {PIE_DATA, 5, 1, 0})), "R_RISCV_JUMP_SLOT (5)");
        assertRejected(pie(is64, List.of(new long[] {PIE_DATA, 58, 0, 0})), "R_RISCV_IRELATIVE (58)");
        assertRejected(pie(is64, List.of(new long[] {PIE_DATA, 200, 0, 0})), "R_RISCV_200 (200)");
        List<long[]> later = new ArrayList<>(ElfImages.defaultRela(is64));
        later.add(new long[] {PIE_DATA, is64 ? 11 : 10, 0, 0});
        assertRejected(pie(is64, later), "relocation 3 in PT_DYNAMIC DT_RELA",
                is64 ? "R_RISCV_TLS_TPREL64 (11)" : "R_RISCV_TLS_TPREL32 (10)");
    }

    @Test
    void relativeRelocationWithSymbol() {
        assertRejected(pie(true, List.of(new long[] {PIE_DATA, R_RELATIVE, 3, 0})),
                "relocation 0 in PT_DYNAMIC DT_RELA at 0x1500: R_RISCV_RELATIVE refers to symbol 3, expected none");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relocationTargetOutsideLoadSegments(boolean is64) {
        int w = is64 ? 8 : 4;
        assertRejected(pie(is64, List.of(new long[] {0x10_0000, R_RELATIVE, 0, 0})),
                "relocation 0 in PT_DYNAMIC DT_RELA: target 0x100000+" + w + " is not inside any PT_LOAD segment");
        // Straddling the end of the data segment.
        long straddle = PIE_DATA + DATA_SIZE + ElfImages.BSS_SIZE - w / 2;
        assertRejected(pie(is64, List.of(new long[] {straddle, R_RELATIVE, 0, 0})),
                "target " + hex(straddle) + "+" + w + " is not inside any PT_LOAD segment");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relaTableMustBeInsideFileBackedLoad(boolean is64) {
        assertRejected(pieWithDynamic(is64, t -> List.of(new long[] {DT_RELA, 0x10_0000},
                        new long[] {DT_RELASZ, t.relaSize()}, new long[] {DT_RELAENT, 3L * t.wordSize()},
                        new long[] {DT_NULL, 0})),
                "PT_DYNAMIC DT_RELA: table 0x100000+" + hex(3L * 3 * (is64 ? 8 : 4))
                        + " is not inside the file-backed part of any PT_LOAD segment");
        // In .bss: mapped memory but no file bytes.
        assertRejected(pieWithDynamic(is64, t -> List.of(new long[] {DT_RELA, PIE_DATA + DATA_SIZE},
                new long[] {DT_RELASZ, t.relaSize()}, new long[] {DT_RELAENT, 3L * t.wordSize()},
                new long[] {DT_NULL, 0})), "is not inside the file-backed part of any PT_LOAD segment");
        // Size wraps around.
        assertRejected(pieWithDynamic(is64, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                new long[] {DT_RELASZ, is64 ? -24L : 0xffff_fff0L}, new long[] {DT_RELAENT, 3L * t.wordSize()},
                new long[] {DT_NULL, 0})), "PT_DYNAMIC DT_RELA");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relaEntrySizeAndTableSize(boolean is64) {
        int ent = is64 ? 24 : 12;
        assertRejected(pieWithDynamic(is64, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                        new long[] {DT_RELASZ, t.relaSize()}, new long[] {DT_RELAENT, 16}, new long[] {DT_NULL, 0})),
                "PT_DYNAMIC DT_RELA: DT_RELAENT is 0x10, expected " + ent);
        assertRejected(pieWithDynamic(is64, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                        new long[] {DT_RELASZ, t.relaSize()}, new long[] {DT_NULL, 0})),
                "PT_DYNAMIC DT_RELA: DT_RELAENT is missing");
        assertRejected(pieWithDynamic(is64, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                        new long[] {DT_RELASZ, t.relaSize() - 1}, new long[] {DT_RELAENT, ent},
                        new long[] {DT_NULL, 0})),
                "PT_DYNAMIC DT_RELA: size " + hex(3L * ent - 1) + " is not a multiple of the entry size " + ent);
    }

    @Test
    void relaTagsMustComeTogether() {
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                new long[] {DT_RELAENT, 24}, new long[] {DT_NULL, 0})), "PT_DYNAMIC DT_RELA: DT_RELASZ is missing");
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {DT_RELASZ, 24}, new long[] {DT_RELAENT, 24},
                new long[] {DT_NULL, 0})), "PT_DYNAMIC DT_RELA: DT_RELASZ is 0x18 but DT_RELA is missing");
    }

    @Test
    void relTablesAreNotSupported() {
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {17 /* DT_REL */, t.relaVaddr()},
                        new long[] {18, 16}, new long[] {19, 16}, new long[] {DT_NULL, 0})),
                "PT_DYNAMIC: DT_REL relocations are not supported (RISC-V uses DT_RELA)");
        PieOptions o = new PieOptions();
        o.ptDynamic = false;
        o.relaSectionType = 9; // SHT_REL
        o.dynamic = t -> List.of();
        assertRejected(ElfImages.pie(true, o).bytes(), "(.rela.dyn): SHT_REL relocations are not supported");
    }

    @Test
    void dynamicSectionChecks() {
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                        new long[] {DT_RELASZ, t.relaSize()}, new long[] {DT_RELAENT, 24})),
                "PT_DYNAMIC: no DT_NULL terminator within 0x30 bytes");
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                        new long[] {DT_RELA, t.relaVaddr()}, new long[] {DT_NULL, 0})),
                "PT_DYNAMIC: duplicate DT_RELA entry");
        byte[] b = ElfImages.pie(true).bytes();
        int dyn = ElfImages.phdrIndex(b, ProgramHeader.PT_DYNAMIC, 0);
        long size = ElfImages.phdr(b, dyn, P.FILESZ);
        assertRejected(ElfImages.withPhdr(ElfImages.withPhdr(b, dyn, P.FILESZ, size - 1), dyn, P.MEMSZ, size - 1),
                "PT_DYNAMIC: size " + hex(size - 1) + " is not a multiple of the entry size 16");
    }

    @Test
    void tooManyRelocations() {
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {DT_RELA, t.relaVaddr()},
                        new long[] {DT_RELASZ, 24L * 4_000_001}, new long[] {DT_RELAENT, 24},
                        new long[] {DT_NULL, 0})),
                "PT_DYNAMIC DT_RELA: 4000001 relocation entries, at most 4000000 relocations are supported");
    }

    @Test
    void pltRelocationsMustBeRela() {
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {23, t.relaVaddr()},
                        new long[] {2, t.relaSize()}, new long[] {20, 17}, new long[] {DT_NULL, 0})),
                "PT_DYNAMIC: DT_PLTREL is 0x11, expected DT_RELA (7)");
        assertRejected(pieWithDynamic(true, t -> List.of(new long[] {23, t.relaVaddr()},
                new long[] {2, t.relaSize()}, new long[] {DT_NULL, 0})), "DT_PLTREL is missing");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relrChecks(boolean is64) {
        int w = is64 ? 8 : 4;
        assertRejected(pieWithRelr(is64, 0b111), "RELR entry 0 in PT_DYNAMIC DT_RELR: bitmap entry before any "
                + "address entry");
        assertRejected(pieWithRelr(is64, PIE_DATA + DATA_SIZE),
                "RELR entry 0 in PT_DYNAMIC DT_RELR: target " + hex(PIE_DATA + DATA_SIZE)
                        + " is not inside the file-backed part of any PT_LOAD segment");
        // Addresses must ascend: going back (or repeating a word) is rejected.
        assertRejected(pieWithRelr(is64, PIE_DATA + 2L * w, PIE_DATA), "RELR entry 1 in PT_DYNAMIC DT_RELR: address "
                + hex(PIE_DATA) + " is below " + hex(PIE_DATA + 3L * w) + ", the end of the previous entry");
        assertRejected(pieWithRelr(is64, PIE_DATA, 0b11, PIE_DATA + (long) w * (8 * w - 1)),
                "RELR entry 2 in PT_DYNAMIC DT_RELR: address");
        PieOptions o = new PieOptions();
        o.rela = List.of();
        o.relr = new long[] {PIE_DATA};
        o.dynamic = t -> List.of(new long[] {DT_RELR, t.relrVaddr()}, new long[] {DT_RELRSZ, t.relrSize()},
                new long[] {DT_RELRENT, 2L * w}, new long[] {DT_NULL, 0});
        assertRejected(ElfImages.pie(is64, o).bytes(), "PT_DYNAMIC DT_RELR: DT_RELRENT is " + hex(2L * w)
                + ", expected " + w);
    }

    @Test
    void relaSectionChecksWithoutDynamicSegment() {
        byte[] b;
        PieOptions o = new PieOptions();
        o.ptDynamic = false;
        o.dynamic = t -> List.of();
        b = ElfImages.pie(true, o).bytes();
        int rela = ElfImages.sectionIndex(b, ".rela.dyn");
        assertRejected(ElfImages.withShdr(b, rela, S.ENTSIZE, 16),
                "section " + rela + " (.rela.dyn): entry size 0x10, expected 24");
        assertRejected(ElfImages.withShdr(b, rela, S.SIZE, 71),
                "section " + rela + " (.rela.dyn): size 0x47 is not a multiple of the entry size 24");
        o.rela = List.of(new long[] {PIE_DATA, 2, 0, 0});
        assertRejected(ElfImages.pie(true, o).bytes(), "relocation 0 in section " + rela + " (.rela.dyn) at 0x1500",
                "R_RISCV_64 (2)");
    }

    @Test
    void executablesIgnoreRelocationSections() throws ElfException {
        // ET_EXEC: libc handles IRELATIVE itself and nothing else needs the loader; tables are not even read.
        byte[] b = ElfImages.withHeader(pie(true, List.of(new long[] {PIE_DATA, 58, 0, 0})), H.TYPE, 2);
        assertEquals(List.of(), ElfFile.parse(b).relativeRelocations());
    }
}
