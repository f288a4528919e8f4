package dev.riscvsandbox.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Ready-made valid test images (a static ET_EXEC and a static PIE, each as ELF32 and ELF64) with a fixed,
 * documented layout, plus helpers that overwrite single header fields to make malformed variants.
 *
 * <pre>
 * file 0x000  ELF header + program header table (space for 16)         \
 * file 0x400  code, 0x100 bytes                                           > PT_LOAD R-X  vaddr text+0
 * file 0x500  data, 0x40 bytes (TLS template at +0x20, 0x10 bytes)     -> PT_LOAD RW-  vaddr data, memsz 0x140
 * file 0x600  (PIE only) .rela.dyn, optional RELR table, .dynamic     -> PT_LOAD R--  vaddr tables
 * then        .symtab, .strtab, .shstrtab, section headers (not loaded)
 * </pre>
 */
final class ElfImages {
    static final long CODE_OFF = 0x400, CODE_SIZE = 0x100;
    static final long DATA_OFF = 0x500, DATA_SIZE = 0x40, BSS_SIZE = 0x100;
    static final long TABLES_OFF = 0x600;
    static final long EXEC_TEXT = 0x10000, EXEC_DATA = 0x20500;
    static final long PIE_TEXT = 0, PIE_DATA = 0x1500, PIE_TABLES = 0x2600;

    static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4, STT_TLS = 6;
    static final int STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
    static final int SHN_ABS = 0xfff1;
    static final int R_NONE = 0, R_RELATIVE = 3;
    static final long DT_NULL = 0, DT_RELA = 7, DT_RELASZ = 8, DT_RELAENT = 9, DT_RELR = 36, DT_RELRSZ = 35,
            DT_RELRENT = 37;
    static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_DYNAMIC = 6, SHT_NOBITS = 8,
            SHT_DYNSYM = 11;
    static final long SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXEC = 4;

    /** Section indexes of the standard images (the name table and header table follow). */
    static final int SEC_TEXT = 1, SEC_DATA = 2, SEC_BSS = 3;

    private ElfImages() {
    }

    /** A built image plus the addresses tests need. */
    record Image(byte[] bytes, boolean is64, long text, long data, long entry, long relaVaddr, long relrVaddr,
                 long dynamicVaddr) {
        long code() {
            return text + CODE_OFF;
        }
    }

    /** Addresses of the relocation tables, handed to a custom dynamic-section generator. */
    record Tables(long relaVaddr, long relaSize, long relrVaddr, long relrSize, int wordSize) {
    }

    /** Knobs for {@link #pie(boolean, PieOptions)}. */
    static final class PieOptions {
        /** RELA entries {offset, type, symbol, addend}; null means the default two RELATIVE and one NONE. */
        List<long[]> rela;
        /** Raw RELR words, or null for no RELR table. */
        long[] relr;
        /** Whether to emit PT_DYNAMIC; without it the parser must use the SHT_RELA section. */
        boolean ptDynamic = true;
        /** Custom dynamic entries {tag, value} (DT_NULL is not added automatically); null for the default. */
        Function<Tables, List<long[]>> dynamic;
        /** Section header type for the RELA table. */
        int relaSectionType = SHT_RELA;
        /** Whether the RELA section has SHF_ALLOC. */
        boolean relaAlloc = true;
    }

    static Image exec(boolean is64) {
        return build(is64, false, null);
    }

    static Image pie(boolean is64) {
        return build(is64, true, new PieOptions());
    }

    static Image pie(boolean is64, PieOptions options) {
        return build(is64, true, options);
    }

    /** All four standard images. */
    static List<Image> all() {
        return List.of(exec(false), exec(true), pie(false), pie(true));
    }

    /** The default relocations of the PIE: counter = &table, counter+word = &buffer, plus one R_RISCV_NONE. */
    static List<long[]> defaultRela(boolean is64) {
        int w = is64 ? 8 : 4;
        List<long[]> rela = new ArrayList<>();
        rela.add(new long[] {PIE_DATA, R_RELATIVE, 0, PIE_TEXT + CODE_OFF + 0x80});
        rela.add(new long[] {PIE_DATA + w, R_RELATIVE, 0, PIE_DATA + DATA_SIZE});
        rela.add(new long[] {0, R_NONE, 0, 0});
        return rela;
    }

    /** Link-time value stored in data word {@code i}: an address inside the code, used as RELR implicit addend. */
    static long dataWord(long text, int i) {
        return text + CODE_OFF + 4L * i;
    }

    private static Image build(boolean is64, boolean pie, PieOptions o) {
        ElfImageBuilder b = new ElfImageBuilder(is64);
        int w = b.wordSize();
        long text = pie ? PIE_TEXT : EXEC_TEXT;
        long data = pie ? PIE_DATA : EXEC_DATA;
        b.type = pie ? 3 : 2;
        b.entry = text + CODE_OFF;

        ElfImageBuilder.Le code = new ElfImageBuilder.Le(is64);
        for (int i = 0; i < CODE_SIZE / 4; i++) {
            code.u32(0x00000013); // nop
        }
        b.put(CODE_OFF, code.bytes());
        ElfImageBuilder.Le dataBytes = new ElfImageBuilder.Le(is64);
        for (int i = 0; i < DATA_SIZE / w; i++) {
            dataBytes.word(dataWord(text, i));
        }
        b.put(DATA_OFF, dataBytes.bytes());

        b.phdr(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_X, 0, text, CODE_OFF + CODE_SIZE,
                CODE_OFF + CODE_SIZE, 0x1000);
        b.phdr(ProgramHeader.PT_LOAD, ProgramHeader.PF_R | ProgramHeader.PF_W, DATA_OFF, data, DATA_SIZE,
                DATA_SIZE + BSS_SIZE, 0x1000);
        b.phdr(ProgramHeader.PT_TLS, ProgramHeader.PF_R, DATA_OFF + 0x20, data + 0x20, 0x10, 0x20, 8);
        b.phdr(ProgramHeader.PT_GNU_STACK, ProgramHeader.PF_R | ProgramHeader.PF_W, 0, 0, 0, 0, 16);

        int secText = b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXEC, text + CODE_OFF, CODE_OFF, CODE_SIZE,
                0, 0, 4, 0);
        int secData = b.section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data, DATA_OFF, DATA_SIZE, 0, 0, 8, 0);
        b.section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, data + DATA_SIZE, DATA_OFF + DATA_SIZE, BSS_SIZE, 0, 0,
                8, 0);

        long relaVaddr = 0, relrVaddr = 0, dynVaddr = 0;
        if (pie) {
            long tables = PIE_TABLES;
            List<long[]> rela = o.rela != null ? o.rela : defaultRela(is64);
            ElfImageBuilder.Le relaBytes = new ElfImageBuilder.Le(is64);
            for (long[] r : rela) {
                long info = is64 ? (r[2] << 32) | r[1] : (r[2] << 8) | (r[1] & 0xff);
                relaBytes.word(r[0]).word(info).word(r[3]);
            }
            byte[] relaTable = relaBytes.bytes();
            b.put(TABLES_OFF, relaTable);
            relaVaddr = tables;
            long cursor = TABLES_OFF + relaTable.length;
            byte[] relrTable = new byte[0];
            if (o.relr != null) {
                ElfImageBuilder.Le relrBytes = new ElfImageBuilder.Le(is64);
                for (long v : o.relr) {
                    relrBytes.word(v);
                }
                relrTable = relrBytes.bytes();
                b.put(cursor, relrTable);
                relrVaddr = tables + (cursor - TABLES_OFF);
                cursor += relrTable.length;
            }
            Tables t = new Tables(relaVaddr, relaTable.length, relrVaddr, relrTable.length, w);
            List<long[]> dyn = o.dynamic != null ? o.dynamic.apply(t) : defaultDynamic(t);
            ElfImageBuilder.Le dynBytes = new ElfImageBuilder.Le(is64);
            for (long[] d : dyn) {
                dynBytes.word(d[0]).word(d[1]);
            }
            byte[] dynTable = dynBytes.bytes();
            b.put(cursor, dynTable);
            long dynOff = cursor;
            dynVaddr = tables + (dynOff - TABLES_OFF);
            cursor += dynTable.length;
            long tablesSize = cursor - TABLES_OFF;
            b.phdr(ProgramHeader.PT_LOAD, ProgramHeader.PF_R, TABLES_OFF, tables, tablesSize, tablesSize, 0x1000);
            if (o.ptDynamic) {
                b.phdr(ProgramHeader.PT_DYNAMIC, ProgramHeader.PF_R, dynOff, dynVaddr, dynTable.length,
                        dynTable.length, w);
            }
            b.section(".rela.dyn", o.relaSectionType, o.relaAlloc ? SHF_ALLOC : 0, relaVaddr, TABLES_OFF,
                    relaTable.length, 0, 0, w, 3L * w);
            if (o.relr != null) {
                b.section(".relr.dyn", 19, SHF_ALLOC, relrVaddr, TABLES_OFF + relaTable.length, relrTable.length,
                        0, 0, w, w);
            }
            b.section(".dynamic", SHT_DYNAMIC, SHF_ALLOC, dynVaddr, dynOff, dynTable.length, 0, 0, w, 2L * w);
        }

        ElfImageBuilder.SymbolTableBuilder syms = new ElfImageBuilder.SymbolTableBuilder(is64);
        long c = text + CODE_OFF;
        syms.add("test.c", 0, 0, STT_FILE, STB_LOCAL, SHN_ABS);
        syms.add("", c, 0, STT_SECTION, STB_LOCAL, secText);
        syms.add("helper", c + 0x60, 0, STT_FUNC, STB_LOCAL, secText); // assembly: no size
        syms.add("inner", c + 0x88, 4, STT_OBJECT, STB_LOCAL, secText); // nested inside "table"
        syms.add("dup", c + 0xa0, 8, STT_FUNC, STB_LOCAL, secText);
        syms.add("_start", c, 0x10, STT_FUNC, STB_GLOBAL, secText);
        syms.add("main", c + 0x10, 0x40, STT_FUNC, STB_GLOBAL, secText);
        syms.add("table", c + 0x80, 0x20, STT_OBJECT, STB_GLOBAL, secText);
        syms.add("dup", c + 0xb0, 8, STT_FUNC, STB_GLOBAL, secText);
        syms.add("label", c + 0xc0, 0, STT_NOTYPE, STB_GLOBAL, secText);
        syms.add("counter", data, 8, STT_OBJECT, STB_GLOBAL, secData);
        syms.add("buffer", data + DATA_SIZE, 0x80, STT_OBJECT, STB_GLOBAL, SEC_BSS);
        syms.add("tls_var", 0, 4, STT_TLS, STB_GLOBAL, secData);
        syms.add("__gmon_start__", 0, 0, STT_NOTYPE, STB_WEAK, 0); // undefined
        byte[] symtab = syms.symtab();
        byte[] strtab = syms.strtab();
        long symOff = b.append(symtab, 8);
        long strOff = b.append(strtab, 1);
        int strIndex = b.section(".strtab", SHT_STRTAB, 0, 0, strOff, strtab.length, 0, 0, 1, 0);
        b.section(".symtab", SHT_SYMTAB, 0, 0, symOff, symtab.length, strIndex, 5, 8, syms.entrySize());
        return new Image(b.build(), is64, text, data, b.entry, relaVaddr, relrVaddr, dynVaddr);
    }

    static List<long[]> defaultDynamic(Tables t) {
        List<long[]> dyn = new ArrayList<>();
        dyn.add(new long[] {DT_RELA, t.relaVaddr()});
        dyn.add(new long[] {DT_RELASZ, t.relaSize()});
        dyn.add(new long[] {DT_RELAENT, 3L * t.wordSize()});
        if (t.relrSize() > 0) {
            dyn.add(new long[] {DT_RELR, t.relrVaddr()});
            dyn.add(new long[] {DT_RELRSZ, t.relrSize()});
            dyn.add(new long[] {DT_RELRENT, t.wordSize()});
        }
        dyn.add(new long[] {DT_NULL, 0});
        return dyn;
    }

    // ------------------------------------------------------------------------------------ field patching

    /** ELF header fields: offset and size for ELF32, then for ELF64. */
    enum H {
        TYPE(16, 2, 16, 2), MACHINE(18, 2, 18, 2), VERSION(20, 4, 20, 4), ENTRY(24, 4, 24, 8),
        PHOFF(28, 4, 32, 8), SHOFF(32, 4, 40, 8), FLAGS(36, 4, 48, 4), EHSIZE(40, 2, 52, 2),
        PHENTSIZE(42, 2, 54, 2), PHNUM(44, 2, 56, 2), SHENTSIZE(46, 2, 58, 2), SHNUM(48, 2, 60, 2),
        SHSTRNDX(50, 2, 62, 2);

        final int off32, size32, off64, size64;

        H(int off32, int size32, int off64, int size64) {
            this.off32 = off32;
            this.size32 = size32;
            this.off64 = off64;
            this.size64 = size64;
        }
    }

    /** Program header fields. */
    enum P {
        TYPE(0, 4, 0, 4), FLAGS(24, 4, 4, 4), OFFSET(4, 4, 8, 8), VADDR(8, 4, 16, 8), PADDR(12, 4, 24, 8),
        FILESZ(16, 4, 32, 8), MEMSZ(20, 4, 40, 8), ALIGN(28, 4, 48, 8);

        final int off32, size32, off64, size64;

        P(int off32, int size32, int off64, int size64) {
            this.off32 = off32;
            this.size32 = size32;
            this.off64 = off64;
            this.size64 = size64;
        }
    }

    /** Section header fields. */
    enum S {
        NAME(0, 4, 0, 4), TYPE(4, 4, 4, 4), FLAGS(8, 4, 8, 8), ADDR(12, 4, 16, 8), OFFSET(16, 4, 24, 8),
        SIZE(20, 4, 32, 8), LINK(24, 4, 40, 4), INFO(28, 4, 44, 4), ADDRALIGN(32, 4, 48, 8), ENTSIZE(36, 4, 56, 8);

        final int off32, size32, off64, size64;

        S(int off32, int size32, int off64, int size64) {
            this.off32 = off32;
            this.size32 = size32;
            this.off64 = off64;
            this.size64 = size64;
        }
    }

    static boolean is64(byte[] image) {
        return image[4] == 2;
    }

    static long read(byte[] image, long offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (image[(int) offset + i] & 0xff);
        }
        return v;
    }

    static byte[] write(byte[] image, long offset, int size, long value) {
        byte[] copy = image.clone();
        for (int i = 0; i < size; i++) {
            copy[(int) offset + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }

    static long header(byte[] image, H field) {
        boolean is64 = is64(image);
        return read(image, is64 ? field.off64 : field.off32, is64 ? field.size64 : field.size32);
    }

    static byte[] withHeader(byte[] image, H field, long value) {
        boolean is64 = is64(image);
        return write(image, is64 ? field.off64 : field.off32, is64 ? field.size64 : field.size32, value);
    }

    static long phdrOffset(byte[] image, int index) {
        return header(image, H.PHOFF) + (long) index * header(image, H.PHENTSIZE);
    }

    static long phdr(byte[] image, int index, P field) {
        boolean is64 = is64(image);
        return read(image, phdrOffset(image, index) + (is64 ? field.off64 : field.off32),
                is64 ? field.size64 : field.size32);
    }

    static byte[] withPhdr(byte[] image, int index, P field, long value) {
        boolean is64 = is64(image);
        return write(image, phdrOffset(image, index) + (is64 ? field.off64 : field.off32),
                is64 ? field.size64 : field.size32, value);
    }

    /** Index of the {@code nth} program header of the given type. */
    static int phdrIndex(byte[] image, int type, int nth) {
        int n = (int) header(image, H.PHNUM);
        for (int i = 0; i < n; i++) {
            if (phdr(image, i, P.TYPE) == type && nth-- == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such program header");
    }

    static long shdrOffset(byte[] image, int index) {
        return header(image, H.SHOFF) + (long) index * header(image, H.SHENTSIZE);
    }

    static long shdr(byte[] image, int index, S field) {
        boolean is64 = is64(image);
        return read(image, shdrOffset(image, index) + (is64 ? field.off64 : field.off32),
                is64 ? field.size64 : field.size32);
    }

    static byte[] withShdr(byte[] image, int index, S field, long value) {
        boolean is64 = is64(image);
        return write(image, shdrOffset(image, index) + (is64 ? field.off64 : field.off32),
                is64 ? field.size64 : field.size32, value);
    }

    /** Index of the section with the given name. */
    static int sectionIndex(byte[] image, String name) {
        int n = (int) header(image, H.SHNUM);
        int strndx = (int) header(image, H.SHSTRNDX);
        long strOff = shdr(image, strndx, S.OFFSET);
        for (int i = 0; i < n; i++) {
            long p = strOff + shdr(image, i, S.NAME);
            StringBuilder sb = new StringBuilder();
            while (image[(int) p] != 0) {
                sb.append((char) image[(int) p++]);
            }
            if (sb.toString().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no section " + name);
    }
}
