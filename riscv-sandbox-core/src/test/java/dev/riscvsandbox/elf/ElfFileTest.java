package dev.riscvsandbox.elf;

import static dev.riscvsandbox.elf.ElfImages.CODE_OFF;
import static dev.riscvsandbox.elf.ElfImages.CODE_SIZE;
import static dev.riscvsandbox.elf.ElfImages.DATA_SIZE;
import static dev.riscvsandbox.elf.ElfImages.PIE_DATA;
import static dev.riscvsandbox.elf.ElfImages.PIE_TEXT;
import static dev.riscvsandbox.elf.ElfImages.R_NONE;
import static dev.riscvsandbox.elf.ElfImages.R_RELATIVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.elf.ElfImages.Image;
import dev.riscvsandbox.elf.ElfImages.PieOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of valid images: header accessors, segments, TLS, symbols and relocations. */
class ElfFileTest {

    private static ElfFile parse(byte[] bytes) throws ElfException {
        return ElfFile.parse(bytes);
    }

    private static Symbol sym(ElfFile f, String name) {
        return f.symbol(name).orElseThrow(() -> new AssertionError("no symbol " + name));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void headerAccessorsOfStaticExecutable(boolean is64) throws ElfException {
        Image img = ElfImages.exec(is64);
        ElfFile f = parse(img.bytes());
        assertEquals(is64, f.is64());
        assertEquals(is64 ? 64 : 32, f.xlen());
        assertEquals(ElfType.EXEC, f.type());
        assertEquals(img.entry(), f.entry());
        assertEquals(0x5, f.flags());
        assertTrue(f.hasCompressed());
        assertEquals(FloatAbi.DOUBLE, f.floatAbi());
        assertFalse(f.isRve());
        assertFalse(f.isTso());
        assertEquals(is64 ? 64 : 52, f.phoff());
        assertEquals(is64 ? 56 : 32, f.phentsize());
        assertEquals(4, f.phnum());
        assertEquals(img.bytes().length, f.fileSize());
        assertEquals(Optional.empty(), f.interpreter());
        assertEquals(List.of(), f.relativeRelocations());
        assertTrue(f.toString().contains("EXEC"), f::toString);
    }

    @Test
    void flagsDecodeFloatAbiAndRvcBits() throws ElfException {
        byte[] base = ElfImages.exec(true).bytes();
        int[] values = {0x0, 0x2, 0x4, 0x6, 0x1 | 0x8 | 0x10};
        FloatAbi[] abis = {FloatAbi.SOFT, FloatAbi.SINGLE, FloatAbi.DOUBLE, FloatAbi.QUAD, FloatAbi.SOFT};
        for (int i = 0; i < values.length; i++) {
            ElfFile f = parse(ElfImages.withHeader(base, ElfImages.H.FLAGS, values[i]));
            assertEquals(abis[i], f.floatAbi());
            assertEquals(values[i] == 0x19, f.hasCompressed());
            assertEquals(values[i] == 0x19, f.isRve());
            assertEquals(values[i] == 0x19, f.isTso());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void programHeadersAndLoadSegments(boolean is64) throws ElfException {
        Image img = ElfImages.exec(is64);
        ElfFile f = parse(img.bytes());
        List<ProgramHeader> phs = f.programHeaders();
        assertEquals(4, phs.size());
        assertEquals(List.of(phs.get(0), phs.get(1)), f.loadSegments());

        ProgramHeader text = phs.get(0);
        assertEquals(ProgramHeader.PT_LOAD, text.type());
        assertTrue(text.isLoad() && text.isReadable() && text.isExecutable());
        assertFalse(text.isWritable());
        assertEquals("R-X", text.flagString());
        assertEquals(0, text.offset());
        assertEquals(img.text(), text.vaddr());
        assertEquals(img.text(), text.paddr());
        assertEquals(CODE_OFF + CODE_SIZE, text.filesz());
        assertEquals(CODE_OFF + CODE_SIZE, text.memsz());
        assertEquals(0x1000, text.align());
        assertEquals(img.text() + CODE_OFF + CODE_SIZE, text.vaddrEnd());
        assertTrue(text.containsAddress(img.entry()));
        assertFalse(text.containsAddress(text.vaddrEnd()));

        ProgramHeader data = phs.get(1);
        assertTrue(data.isReadable() && data.isWritable() && !data.isExecutable());
        assertEquals(DATA_SIZE, data.filesz());
        assertEquals(DATA_SIZE + ElfImages.BSS_SIZE, data.memsz());
        assertEquals("PT_GNU_STACK", phs.get(3).typeName());
        assertTrue(text.toString().startsWith("PT_LOAD R-X offset=0x0 vaddr=0x"), text::toString);
        assertThrows(UnsupportedOperationException.class, () -> f.programHeaders().clear());
        assertThrows(UnsupportedOperationException.class, () -> f.loadSegments().clear());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void segmentBytesAreCopiesAndViewsAreReadOnly(boolean is64) throws ElfException {
        Image img = ElfImages.exec(is64);
        byte[] input = img.bytes().clone();
        ElfFile f = parse(input);
        ProgramHeader data = f.loadSegments().get(1);
        byte[] copy = f.bytes(data);
        assertArrayEquals(Arrays.copyOfRange(img.bytes(), (int) ElfImages.DATA_OFF,
                (int) (ElfImages.DATA_OFF + DATA_SIZE)), copy);
        copy[0] ^= 1;
        input[(int) ElfImages.DATA_OFF + 1] ^= 1; // the parser keeps its own copy of the input
        assertArrayEquals(Arrays.copyOfRange(img.bytes(), (int) ElfImages.DATA_OFF,
                (int) (ElfImages.DATA_OFF + DATA_SIZE)), f.bytes(data));

        ByteBuffer view = f.segmentData(data);
        assertTrue(view.isReadOnly());
        assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
        assertEquals(0, view.position());
        assertEquals(DATA_SIZE, view.remaining());
        long first = is64 ? view.getLong(0) : view.getInt(0) & 0xffff_ffffL;
        assertEquals(ElfImages.dataWord(img.text(), 0), first);
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 1));

        ByteBuffer code = f.segmentData(f.loadSegments().get(0));
        assertEquals(0x13, code.getInt((int) CODE_OFF)); // nop
        assertEquals(0, f.bytes(f.programHeaders().get(3)).length); // PT_GNU_STACK has no file bytes
    }

    @Test
    void segmentAccessRejectsForeignProgramHeaders() throws ElfException {
        ElfFile f = parse(ElfImages.exec(true).bytes());
        ProgramHeader forged = new ProgramHeader(ProgramHeader.PT_LOAD, 5, 1L << 40, 0, 0, 1L << 40, 1L << 40, 0);
        assertThrows(IllegalArgumentException.class, () -> f.bytes(forged));
        assertThrows(IllegalArgumentException.class, () -> f.segmentData(forged));
        assertThrows(IllegalArgumentException.class, () -> f.bytes(null));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tlsSegment(boolean is64) throws ElfException {
        Image img = ElfImages.exec(is64);
        ProgramHeader tls = parse(img.bytes()).tlsSegment().orElseThrow();
        assertEquals(ProgramHeader.PT_TLS, tls.type());
        assertEquals(img.data() + 0x20, tls.vaddr());
        assertEquals(ElfImages.DATA_OFF + 0x20, tls.offset());
        assertEquals(0x10, tls.filesz());
        assertEquals(0x20, tls.memsz());
        assertEquals(8, tls.align());
    }

    @Test
    void noTlsSegment() throws ElfException {
        byte[] bytes = ElfImages.exec(true).bytes();
        int tls = ElfImages.phdrIndex(bytes, ProgramHeader.PT_TLS, 0);
        bytes = ElfImages.withPhdr(bytes, tls, ElfImages.P.TYPE, ProgramHeader.PT_NOTE);
        assertEquals(Optional.empty(), parse(bytes).tlsSegment());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void symbolsExcludeUndefinedAndAnonymousEntries(boolean is64) throws ElfException {
        Image img = ElfImages.exec(is64);
        ElfFile f = parse(img.bytes());
        List<String> names = f.symbols().stream().map(Symbol::name).toList();
        assertEquals(List.of("test.c", "helper", "inner", "dup", "_start", "main", "table", "dup", "label",
                "counter", "buffer", "tls_var"), names);
        assertThrows(UnsupportedOperationException.class, () -> f.symbols().clear());
        Symbol main = sym(f, "main");
        assertEquals(new Symbol("main", img.code() + 0x10, 0x40, Symbol.Type.FUNC, Symbol.Bind.GLOBAL), main);
        assertEquals(Symbol.Type.FILE, sym(f, "test.c").type());
        assertEquals(Symbol.Type.TLS, sym(f, "tls_var").type());
        assertEquals(Symbol.Type.NOTYPE, sym(f, "label").type());
        assertEquals(Symbol.Bind.LOCAL, sym(f, "helper").bind());
        assertEquals(Optional.empty(), f.symbol("__gmon_start__")); // undefined
        assertEquals(Optional.empty(), f.symbol("nope"));
        assertEquals(Optional.empty(), f.symbol(""));
    }

    @Test
    void symbolByNamePrefersGlobalOverLocal() throws ElfException {
        Image img = ElfImages.exec(true);
        Symbol dup = sym(parse(img.bytes()), "dup");
        assertEquals(Symbol.Bind.GLOBAL, dup.bind());
        assertEquals(img.code() + 0xb0, dup.value());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void symbolAtAddress(boolean is64) throws ElfException {
        Image img = ElfImages.exec(is64);
        ElfFile f = parse(img.bytes());
        long c = img.code();
        assertEquals("_start", f.symbolAt(c).orElseThrow().name());
        assertEquals("_start+0xe", f.symbolAt(c + 0xe).orElseThrow().describe(c + 0xe));
        assertEquals("main", f.symbolAt(c + 0x10).orElseThrow().describe(c + 0x10));
        assertEquals("main+0x1c", f.symbolAt(c + 0x2c).orElseThrow().describe(c + 0x2c));
        assertEquals("main+0x3f", f.symbolAt(c + 0x4f).orElseThrow().describe(c + 0x4f));
        // Past main's end, before helper: nearest preceding function is main.
        assertEquals("main+0x40", f.symbolAt(c + 0x50).orElseThrow().describe(c + 0x50));
        // helper has no size: found as nearest preceding FUNC.
        assertEquals("helper+0x4", f.symbolAt(c + 0x64).orElseThrow().describe(c + 0x64));
        // Objects: table [0x80,0xa0) contains inner [0x88,0x8c); the innermost (highest start) wins.
        assertEquals("table", f.symbolAt(c + 0x80).orElseThrow().name());
        assertEquals("inner+0x1", f.symbolAt(c + 0x89).orElseThrow().describe(c + 0x89));
        assertEquals("table+0x10", f.symbolAt(c + 0x90).orElseThrow().describe(c + 0x90));
        // Local and global "dup" functions at different addresses.
        assertEquals(Symbol.Bind.LOCAL, f.symbolAt(c + 0xa4).orElseThrow().bind());
        assertEquals(Symbol.Bind.GLOBAL, f.symbolAt(c + 0xb4).orElseThrow().bind());
        // NOTYPE label is not used; falls back to the preceding function.
        assertEquals("dup+0x10", f.symbolAt(c + 0xc0).orElseThrow().describe(c + 0xc0));
        // Data objects, including one in .bss.
        assertEquals("counter+0x4", f.symbolAt(img.data() + 4).orElseThrow().describe(img.data() + 4));
        assertEquals("buffer+0x7f", f.symbolAt(img.data() + DATA_SIZE + 0x7f).orElseThrow()
                .describe(img.data() + DATA_SIZE + 0x7f));
        // Before the first symbol, in data without an enclosing object, and outside all segments: nothing.
        assertEquals(Optional.empty(), f.symbolAt(img.text()));
        assertEquals(Optional.empty(), f.symbolAt(img.data() + 8));
        assertEquals(Optional.empty(), f.symbolAt(img.data() + 0x10_0000));
        assertEquals(Optional.empty(), f.symbolAt(0));
        assertEquals(Optional.empty(), f.symbolAt(-1L));
    }

    @Test
    void symbolContainsAndToString() {
        Symbol s = new Symbol("f", 0x100, 0x10, Symbol.Type.FUNC, Symbol.Bind.GLOBAL);
        assertTrue(s.contains(0x100));
        assertTrue(s.contains(0x10f));
        assertFalse(s.contains(0x110));
        assertFalse(s.contains(0xff));
        assertFalse(new Symbol("g", 0x100, 0, Symbol.Type.FUNC, Symbol.Bind.LOCAL).contains(0x100));
        // A symbol reaching the top of the address space does not wrap around.
        Symbol top = new Symbol("top", -0x10L, 0x10, Symbol.Type.OBJECT, Symbol.Bind.GLOBAL);
        assertTrue(top.contains(-1L));
        assertFalse(top.contains(0));
        assertEquals("f [FUNC GLOBAL 0x100 size 0x10]", s.toString());
        assertEquals(Symbol.Type.GNU_IFUNC, Symbol.Type.of(10));
        assertEquals(Symbol.Type.OTHER, Symbol.Type.of(13));
        assertEquals(Symbol.Bind.GNU_UNIQUE, Symbol.Bind.of(10));
        assertEquals(Symbol.Bind.OTHER, Symbol.Bind.of(13));
    }

    @Test
    void symbolAtPrefersTheNearestContainingSymbolAmongMany() throws ElfException {
        // Many symbols: a big object spanning everything plus small functions; check against brute force.
        ElfImageBuilder b = new ElfImageBuilder(true);
        b.entry = 0x10000 + CODE_OFF;
        b.put(CODE_OFF, new byte[0x1000]);
        b.phdr(ProgramHeader.PT_LOAD, 5, 0, 0x10000, CODE_OFF + 0x1000, CODE_OFF + 0x1000, 0x1000);
        int text = b.section(".text", 1, 6, 0x10000 + CODE_OFF, CODE_OFF, 0x1000, 0, 0, 4, 0);
        ElfImageBuilder.SymbolTableBuilder syms = new ElfImageBuilder.SymbolTableBuilder(true);
        java.util.Random rnd = new java.util.Random(7);
        List<Symbol> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long value = 0x10000 + CODE_OFF + rnd.nextInt(0x1000);
            long size = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(0x80);
            int type = rnd.nextBoolean() ? 2 : 1;
            syms.add("s" + i, value, size, type, 1, text);
            expected.add(new Symbol("s" + i, value, size, Symbol.Type.of(type), Symbol.Bind.GLOBAL));
        }
        long symOff = b.append(syms.symtab(), 8);
        long strOff = b.append(syms.strtab(), 1);
        int str = b.section(".strtab", 3, 0, 0, strOff, syms.strtab().length, 0, 0, 1, 0);
        b.section(".symtab", 2, 0, 0, symOff, syms.symtab().length, str, 1, 8, 24);
        ElfFile f = parse(b.build());
        assertEquals(expected, f.symbols());
        for (long a = 0x10000 + CODE_OFF - 4; a < 0x10000 + CODE_OFF + 0x1010; a++) {
            final long address = a;
            Optional<Symbol> want = expected.stream().filter(s -> s.contains(address))
                    .max((x, y) -> Long.compare(x.value(), y.value())).map(Optional::of)
                    .orElseGet(() -> expected.stream()
                            .filter(s -> s.type() == Symbol.Type.FUNC && s.value() <= address
                                    && address < 0x10000 + CODE_OFF + 0x1000)
                            .max((x, y) -> Long.compare(x.value(), y.value())));
            Optional<Symbol> got = f.symbolAt(address);
            assertEquals(want.map(Symbol::value), got.map(Symbol::value), () -> "address 0x" + Long.toHexString(address));
            if (want.isPresent() && want.get().contains(address)) {
                assertTrue(got.orElseThrow().contains(address));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void staticPieRelativeRelocationsFromDynamicSection(boolean is64) throws ElfException {
        Image img = ElfImages.pie(is64);
        ElfFile f = parse(img.bytes());
        assertEquals(ElfType.DYN, f.type());
        assertEquals(PIE_TEXT + CODE_OFF, f.entry());
        int w = is64 ? 8 : 4;
        assertEquals(List.of(new Relocation(PIE_DATA, PIE_TEXT + CODE_OFF + 0x80),
                new Relocation(PIE_DATA + w, PIE_DATA + DATA_SIZE)), f.relativeRelocations());
        assertEquals("R_RISCV_RELATIVE at 0x1500 addend 0x480", f.relativeRelocations().get(0).toString());
        assertThrows(UnsupportedOperationException.class, () -> f.relativeRelocations().clear());
        assertEquals(3, f.loadSegments().size());
        assertEquals(img.code() + 0x10, sym(f, "main").value());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relocationsFromRelaSectionWhenThereIsNoDynamicSegment(boolean is64) throws ElfException {
        PieOptions o = new PieOptions();
        o.ptDynamic = false;
        o.dynamic = t -> List.of(); // .dynamic is empty and not referenced
        ElfFile f = parse(ElfImages.pie(is64, o).bytes());
        assertEquals(2, f.relativeRelocations().size());
        assertEquals(PIE_DATA, f.relativeRelocations().get(0).offset());
    }

    @Test
    void nonAllocatedRelaSectionsAreIgnored() throws ElfException {
        PieOptions o = new PieOptions();
        o.ptDynamic = false;
        o.relaAlloc = false; // like --emit-relocs leftovers
        o.rela = List.of(new long[] {PIE_DATA, 19 /* R_RISCV_CALL */, 0, 0});
        assertEquals(List.of(), parse(ElfImages.pie(true, o).bytes()).relativeRelocations());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noneRelocationsAreIgnoredAndEmptyTablesAreFine(boolean is64) throws ElfException {
        PieOptions o = new PieOptions();
        o.rela = List.of(new long[] {0, R_NONE, 0, 0}, new long[] {0x1234, R_NONE, 7, 99});
        assertEquals(List.of(), parse(ElfImages.pie(is64, o).bytes()).relativeRelocations());
        o.rela = List.of();
        assertEquals(List.of(), parse(ElfImages.pie(is64, o).bytes()).relativeRelocations());
        o.dynamic = t -> List.of(new long[] {ElfImages.DT_NULL, 0});
        assertEquals(List.of(), parse(ElfImages.pie(is64, o).bytes()).relativeRelocations());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relocationTargetsMayBeInAnyLoadSegmentIncludingBss(boolean is64) throws ElfException {
        int w = is64 ? 8 : 4;
        PieOptions o = new PieOptions();
        long lastBssWord = PIE_DATA + DATA_SIZE + ElfImages.BSS_SIZE - w;
        o.rela = List.of(new long[] {lastBssWord, R_RELATIVE, 0, 5}, new long[] {CODE_OFF, R_RELATIVE, 0, -1});
        List<Relocation> r = parse(ElfImages.pie(is64, o).bytes()).relativeRelocations();
        assertEquals(new Relocation(lastBssWord, 5), r.get(0));
        // ELF32 values are zero-extended.
        assertEquals(new Relocation(CODE_OFF, is64 ? -1L : 0xffff_ffffL), r.get(1));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void packedRelrRelocationsUseImplicitAddends(boolean is64) throws ElfException {
        int w = is64 ? 8 : 4;
        PieOptions o = new PieOptions();
        o.rela = List.of();
        // Address entry for data word 0, then a bitmap: bit 0 -> word 1, bit 2 -> word 3.
        o.relr = new long[] {PIE_DATA, (0b101L << 1) | 1};
        List<Relocation> r = parse(ElfImages.pie(is64, o).bytes()).relativeRelocations();
        assertEquals(List.of(new Relocation(PIE_DATA, ElfImages.dataWord(PIE_TEXT, 0)),
                new Relocation(PIE_DATA + w, ElfImages.dataWord(PIE_TEXT, 1)),
                new Relocation(PIE_DATA + 3L * w, ElfImages.dataWord(PIE_TEXT, 3))), r);
    }

    @Test
    void relrBitmapCoversFullWordWidth() throws ElfException {
        // 63 bits of a 64-bit bitmap: the last bit addresses word 63 after the base, outside the 0x140-byte data
        // segment, so a bitmap with only the first bits set must work and the last bit must be rejected.
        PieOptions o = new PieOptions();
        o.rela = List.of();
        o.relr = new long[] {PIE_DATA, (0x7fL << 1) | 1};
        assertEquals(8, parse(ElfImages.pie(true, o).bytes()).relativeRelocations().size());
        o.relr = new long[] {PIE_DATA, (1L << 63) | 1};
        ElfException e = assertThrows(ElfException.class, () -> parse(ElfImages.pie(true, o).bytes()));
        assertTrue(e.getMessage().contains("target 0x16f8"), e::getMessage);
    }

    @Test
    void relrSectionWithoutDynamicSegment() throws ElfException {
        PieOptions o = new PieOptions();
        o.ptDynamic = false;
        o.rela = List.of();
        o.relr = new long[] {PIE_DATA + 8};
        o.dynamic = t -> List.of();
        assertEquals(List.of(new Relocation(PIE_DATA + 8, ElfImages.dataWord(PIE_TEXT, 1))),
                parse(ElfImages.pie(true, o).bytes()).relativeRelocations());
    }

    @Test
    void pltRelocationsThroughJmprel() throws ElfException {
        PieOptions o = new PieOptions();
        o.dynamic = t -> List.of(new long[] {23 /* DT_JMPREL */, t.relaVaddr()},
                new long[] {2 /* DT_PLTRELSZ */, t.relaSize()}, new long[] {20 /* DT_PLTREL */, 7},
                new long[] {0, 0});
        assertEquals(2, parse(ElfImages.pie(true, o).bytes()).relativeRelocations().size());
    }

    @Test
    void strippedFileWithoutSections() throws ElfException {
        ElfImageBuilder b = new ElfImageBuilder(false);
        b.sectionsEnabled = false;
        b.entry = 0x10000 + CODE_OFF;
        b.put(CODE_OFF, new byte[16]);
        b.phdr(ProgramHeader.PT_LOAD, 5, 0, 0x10000, CODE_OFF + 16, CODE_OFF + 16, 0x1000);
        byte[] bytes = b.build();
        assertEquals(0, ElfImages.header(bytes, ElfImages.H.SHNUM));
        ElfFile f = parse(bytes);
        assertEquals(List.of(), f.symbols());
        assertEquals(Optional.empty(), f.symbolAt(0x10000 + CODE_OFF));
        assertEquals(Optional.empty(), f.symbol("main"));
        // With e_shnum = 0, e_shoff, e_shentsize and e_shstrndx carry no meaning and are ignored.
        bytes = ElfImages.withHeader(bytes, ElfImages.H.SHOFF, 0xffff_ffffL);
        bytes = ElfImages.withHeader(bytes, ElfImages.H.SHENTSIZE, 7);
        bytes = ElfImages.withHeader(bytes, ElfImages.H.SHSTRNDX, 9);
        assertEquals(List.of(), parse(bytes).symbols());
    }

    @Test
    void sectionsWithoutSymbolTable() throws ElfException {
        byte[] bytes = ElfImages.exec(true).bytes();
        int symtab = ElfImages.sectionIndex(bytes, ".symtab");
        bytes = ElfImages.withShdr(bytes, symtab, ElfImages.S.TYPE, ElfImages.SHT_PROGBITS);
        assertEquals(List.of(), parse(bytes).symbols());
    }

    @Test
    void dynamicSymbolTableIsTheFallback() throws ElfException {
        byte[] bytes = ElfImages.exec(true).bytes();
        int symtab = ElfImages.sectionIndex(bytes, ".symtab");
        bytes = ElfImages.withShdr(bytes, symtab, ElfImages.S.TYPE, ElfImages.SHT_DYNSYM);
        assertTrue(parse(bytes).symbol("main").isPresent());
    }

    @Test
    void sectionNameTableIsOptional() throws ElfException {
        byte[] bytes = ElfImages.withHeader(ElfImages.exec(false).bytes(), ElfImages.H.SHSTRNDX, 0);
        assertTrue(parse(bytes).symbol("main").isPresent());
    }

    @Test
    void interpreterIsReported() throws ElfException {
        ElfImageBuilder b = new ElfImageBuilder(true);
        b.entry = 0x10000 + CODE_OFF;
        b.put(CODE_OFF, new byte[16]);
        long interp = b.append("/lib/ld-linux-riscv64-lp64d.so.1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 1);
        b.phdr(ProgramHeader.PT_INTERP, 4, interp, 0x10000 + interp, 33, 33, 1);
        b.phdr(ProgramHeader.PT_LOAD, 5, 0, 0x10000, b.end(), b.end(), 0x1000);
        assertEquals(Optional.of("/lib/ld-linux-riscv64-lp64d.so.1"), parse(b.build()).interpreter());
    }

    @Test
    void overlappingLoadSegmentsAreAllowed() throws ElfException {
        ElfImageBuilder b = new ElfImageBuilder(true);
        b.entry = 0x10000 + CODE_OFF;
        b.put(CODE_OFF, new byte[0x100]);
        b.phdr(ProgramHeader.PT_LOAD, 5, 0, 0x10000, CODE_OFF + 0x100, CODE_OFF + 0x100, 0x1000);
        b.phdr(ProgramHeader.PT_LOAD, 6, CODE_OFF, 0x10000 + CODE_OFF, 0x100, 0x2000, 0x1000);
        b.phdr(ProgramHeader.PT_NULL, 0, -1, -1, -1, -1, 3); // PT_NULL entries are ignored entirely
        ElfFile f = parse(b.build());
        assertEquals(2, f.loadSegments().size());
        assertEquals(3, f.programHeaders().size());
        assertThrows(IllegalArgumentException.class, () -> f.bytes(f.programHeaders().get(2)));
    }

    @Test
    void elf32SegmentMayEndExactlyAtFourGiB() throws ElfException {
        ElfImageBuilder b = new ElfImageBuilder(false);
        b.entry = 0x10000 + CODE_OFF;
        b.put(CODE_OFF, new byte[16]);
        b.phdr(ProgramHeader.PT_LOAD, 5, 0, 0x10000, CODE_OFF + 16, CODE_OFF + 16, 0x1000);
        b.phdr(ProgramHeader.PT_LOAD, 6, 0, 0xffff_f000L, 0, 0x1000, 0x1000);
        assertEquals(0x1_0000_0000L, parse(b.build()).loadSegments().get(1).vaddrEnd());
    }

    @Test
    void gnuOsAbiIsAccepted() throws ElfException {
        byte[] bytes = ElfImages.exec(true).bytes();
        bytes[7] = 3;
        assertTrue(parse(bytes).is64());
    }

    @Test
    void typeAndRelocationNames() {
        assertEquals(2, ElfType.EXEC.code());
        assertEquals(3, ElfType.DYN.code());
        assertEquals("R_RISCV_64", Relocation.typeName(2));
        assertEquals("R_RISCV_IRELATIVE", Relocation.typeName(58));
        assertEquals("R_RISCV_200", Relocation.typeName(200));
        assertEquals("PT_0x12345", ProgramHeader.typeName(0x12345));
        assertEquals("PT_TLS", ProgramHeader.typeName(7));
    }
}
