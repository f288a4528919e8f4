package dev.riscvsandbox.elf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses and validates one ELF image. Single use: {@link ElfFile#parse} creates one per call.
 *
 * <p>The input is guest-controlled, so the rules are: every file range is checked with unsigned, overflow-free
 * arithmetic before use (see {@link ByteReader#inRange}); every count is capped before anything is allocated from
 * it; and every failure is an {@link ElfException} naming the structure and values involved.
 */
final class ElfParser {
    static final int EM_RISCV = 243;
    static final int MAX_PHNUM = 128;
    static final int MAX_SHNUM = 4096;
    static final int MAX_SYMBOLS = 1_000_000;
    static final int MAX_RELOCATIONS = 4_000_000;
    static final long MAX_SEGMENT_MEMSZ = 1L << 32;
    static final int MAX_INTERP_LENGTH = 4096;

    private static final int ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1;
    private static final int ELFOSABI_SYSV = 0, ELFOSABI_GNU = 3;

    private static final int SHT_NULL = 0, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOBITS = 8,
            SHT_REL = 9, SHT_DYNSYM = 11, SHT_RELR = 19;
    private static final long SHF_ALLOC = 2;
    private static final int SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_XINDEX = 0xffff;

    private static final long DT_NULL = 0, DT_PLTRELSZ = 2, DT_RELA = 7, DT_RELASZ = 8, DT_RELAENT = 9,
            DT_REL = 17, DT_RELSZ = 18, DT_RELENT = 19, DT_PLTREL = 20, DT_JMPREL = 23, DT_RELRSZ = 35,
            DT_RELR = 36, DT_RELRENT = 37;

    private final ByteReader r;
    private boolean is64;
    private int wordSize;
    private ElfType type;
    private long entry;
    private int flags;
    private long phoff;
    private int phentsize;
    private int phnum;
    private long shoff;
    private int shentsize;
    private int shnum;
    private int shstrndx;

    private final List<ProgramHeader> programHeaders = new ArrayList<>();
    private final List<ProgramHeader> loads = new ArrayList<>();
    private ProgramHeader tls;
    private ProgramHeader dynamic;
    private ProgramHeader interp;
    private String interpreter;
    private final List<Section> sections = new ArrayList<>();
    /** The segment that held the previous relocation target; consecutive targets are almost always in the same. */
    private ProgramHeader lastTarget;

    private ElfParser(byte[] data) {
        this.r = new ByteReader(data);
    }

    static ElfFile parse(byte[] data) throws ElfException {
        return new ElfParser(data).run();
    }

    private ElfFile run() throws ElfException {
        parseHeader();
        parseProgramHeaders();
        checkEntry();
        parseSections();
        List<Symbol> symbols = parseSymbols();
        List<Relocation> relocations = type == ElfType.DYN ? parseRelocations() : List.of();
        return new ElfFile(r.array(), is64, type, entry, flags, phoff, phentsize, phnum,
                List.copyOf(programHeaders), List.copyOf(loads), Optional.ofNullable(tls),
                Optional.ofNullable(interpreter), symbols, new SymbolIndex(symbols, List.copyOf(loads)),
                relocations);
    }

    // ---------------------------------------------------------------------------------------------- ELF header

    private void parseHeader() throws ElfException {
        if (r.size() < 16) {
            throw new ElfException("file too short for an ELF identification: " + r.size() + " bytes, need 16");
        }
        if (r.u8(0) != 0x7f || r.u8(1) != 'E' || r.u8(2) != 'L' || r.u8(3) != 'F') {
            throw new ElfException(String.format("not an ELF file: magic is %02x %02x %02x %02x, expected 7f 45 4c 46",
                    r.u8(0), r.u8(1), r.u8(2), r.u8(3)));
        }
        int elfClass = r.u8(4);
        if (elfClass != ELFCLASS32 && elfClass != ELFCLASS64) {
            throw new ElfException("unsupported ELF class " + elfClass + " (EI_CLASS must be 1 = ELFCLASS32 or "
                    + "2 = ELFCLASS64)");
        }
        is64 = elfClass == ELFCLASS64;
        wordSize = is64 ? 8 : 4;
        int data = r.u8(5);
        if (data != ELFDATA2LSB) {
            throw new ElfException("unsupported data encoding " + data + " (EI_DATA must be 1 = little-endian"
                    + (data == 2 ? "; big-endian RISC-V is not supported)" : ")"));
        }
        int identVersion = r.u8(6);
        if (identVersion != EV_CURRENT) {
            throw new ElfException("unsupported ELF identification version " + identVersion + " (EI_VERSION must be 1)");
        }
        int osabi = r.u8(7);
        if (osabi != ELFOSABI_SYSV && osabi != ELFOSABI_GNU) {
            throw new ElfException("unsupported OS ABI " + osabi + " (EI_OSABI must be 0 = System V or 3 = GNU/Linux)");
        }
        int ehsize = is64 ? 64 : 52;
        if (r.size() < ehsize) {
            throw new ElfException("file too short for an " + (is64 ? "ELF64" : "ELF32") + " header: " + r.size()
                    + " bytes, need " + ehsize);
        }
        int eType = r.u16(16);
        if (eType == ElfType.EXEC.code()) {
            type = ElfType.EXEC;
        } else if (eType == ElfType.DYN.code()) {
            type = ElfType.DYN;
        } else {
            throw new ElfException("unsupported ELF type " + typeName(eType) + " (" + eType
                    + "): e_type must be ET_EXEC (2) or ET_DYN (3)");
        }
        int machine = r.u16(18);
        if (machine != EM_RISCV) {
            throw new ElfException("unsupported machine " + machine + ": e_machine must be EM_RISCV (243)");
        }
        long version = r.u32(20);
        if (version != EV_CURRENT) {
            throw new ElfException("unsupported ELF version " + version + " (e_version must be 1)");
        }
        entry = r.word(24, is64);
        phoff = r.word(is64 ? 32 : 28, is64);
        shoff = r.word(is64 ? 40 : 32, is64);
        int b = is64 ? 48 : 36;
        flags = (int) r.u32(b);
        int eEhsize = r.u16(b + 4);
        phentsize = r.u16(b + 6);
        phnum = r.u16(b + 8);
        shentsize = r.u16(b + 10);
        shnum = r.u16(b + 12);
        shstrndx = r.u16(b + 14);
        if (eEhsize != ehsize) {
            throw new ElfException("e_ehsize is " + eEhsize + ", expected " + ehsize + " for "
                    + (is64 ? "ELF64" : "ELF32"));
        }
    }

    private static String typeName(int eType) {
        return switch (eType) {
            case 0 -> "ET_NONE";
            case 1 -> "ET_REL";
            case 4 -> "ET_CORE";
            default -> "0x" + Integer.toHexString(eType);
        };
    }

    // ------------------------------------------------------------------------------------------ program headers

    private void parseProgramHeaders() throws ElfException {
        int expectedSize = is64 ? 56 : 32;
        if (phnum == 0) {
            throw new ElfException("no program headers (e_phnum is 0): nothing to load");
        }
        if (phnum > MAX_PHNUM) {
            throw new ElfException("too many program headers: e_phnum is " + phnum + ", at most " + MAX_PHNUM
                    + " are supported");
        }
        if (phentsize != expectedSize) {
            throw new ElfException("e_phentsize is " + phentsize + ", expected " + expectedSize + " for "
                    + (is64 ? "ELF64" : "ELF32"));
        }
        long tableSize = (long) phnum * phentsize;
        if (!r.inRange(phoff, tableSize)) {
            throw new ElfException("program header table " + Hex.of(phoff) + "+" + Hex.of(tableSize)
                    + " exceeds file size " + Hex.of(r.size()));
        }
        for (int i = 0; i < phnum; i++) {
            long base = phoff + (long) i * phentsize;
            ProgramHeader ph;
            if (is64) {
                ph = new ProgramHeader((int) r.u32(base), (int) r.u32(base + 4), r.u64(base + 8), r.u64(base + 16),
                        r.u64(base + 24), r.u64(base + 32), r.u64(base + 40), r.u64(base + 48));
            } else {
                ph = new ProgramHeader((int) r.u32(base), (int) r.u32(base + 24), r.u32(base + 4), r.u32(base + 8),
                        r.u32(base + 12), r.u32(base + 16), r.u32(base + 20), r.u32(base + 28));
            }
            validateProgramHeader(i, ph);
            programHeaders.add(ph);
        }
    }

    private void validateProgramHeader(int i, ProgramHeader ph) throws ElfException {
        if (ph.type() == ProgramHeader.PT_NULL) {
            return; // unused entry: its other fields carry no meaning
        }
        String what = "program header " + i + " (" + ph.typeName() + ")";
        if (!r.inRange(ph.offset(), ph.filesz())) {
            throw new ElfException(what + ": segment file range " + Hex.of(ph.offset()) + "+" + Hex.of(ph.filesz())
                    + " exceeds file size " + Hex.of(r.size()));
        }
        if (is64) {
            if (Long.compareUnsigned(ph.memsz(), ~ph.vaddr()) > 0) {
                throw new ElfException(what + ": address range " + Hex.of(ph.vaddr()) + "+" + Hex.of(ph.memsz())
                        + " wraps around the 64-bit address space");
            }
        } else if (ph.vaddr() + ph.memsz() > 1L << 32) { // both < 2^32, so the sum cannot overflow
            throw new ElfException(what + ": address range " + Hex.of(ph.vaddr()) + "+" + Hex.of(ph.memsz())
                    + " exceeds the 32-bit address space");
        }
        long align = ph.align();
        if (align != 0 && (align & (align - 1)) != 0) {
            throw new ElfException(what + ": alignment " + Hex.of(align) + " is not a power of two");
        }
        switch (ph.type()) {
            case ProgramHeader.PT_LOAD -> {
                checkSizes(what, ph);
                if (align > 1 && ((ph.vaddr() - ph.offset()) & (align - 1)) != 0) {
                    throw new ElfException(what + ": virtual address " + Hex.of(ph.vaddr()) + " and file offset "
                            + Hex.of(ph.offset()) + " are not congruent modulo the alignment " + Hex.of(align));
                }
                loads.add(ph);
            }
            case ProgramHeader.PT_TLS -> {
                checkSizes(what, ph);
                tls = unique(what, tls, ph);
            }
            case ProgramHeader.PT_DYNAMIC -> dynamic = unique(what, dynamic, ph);
            case ProgramHeader.PT_INTERP -> {
                interp = unique(what, interp, ph);
                interpreter = readInterpreter(what, ph);
            }
            default -> {
                // Other types (PT_NOTE, PT_PHDR, PT_GNU_*, PT_RISCV_ATTRIBUTES, ...) carry nothing a loader needs.
            }
        }
    }

    private static void checkSizes(String what, ProgramHeader ph) throws ElfException {
        if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) {
            throw new ElfException(what + ": file size " + Hex.of(ph.filesz()) + " exceeds memory size "
                    + Hex.of(ph.memsz()));
        }
        if (Long.compareUnsigned(ph.memsz(), MAX_SEGMENT_MEMSZ) > 0) {
            throw new ElfException(what + ": memory size " + Hex.of(ph.memsz()) + " exceeds the 4 GiB limit");
        }
    }

    private static ProgramHeader unique(String what, ProgramHeader previous, ProgramHeader ph) throws ElfException {
        if (previous != null) {
            throw new ElfException(what + ": more than one " + ph.typeName() + " segment");
        }
        return ph;
    }

    private String readInterpreter(String what, ProgramHeader ph) throws ElfException {
        if (ph.filesz() == 0 || ph.filesz() > MAX_INTERP_LENGTH) {
            throw new ElfException(what + ": interpreter path size " + Hex.of(ph.filesz()) + " is not in 1.."
                    + MAX_INTERP_LENGTH);
        }
        byte[] data = r.array();
        int start = (int) ph.offset();
        int end = start + (int) ph.filesz();
        for (int i = start; i < end; i++) {
            if (data[i] == 0) {
                return new String(data, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new ElfException(what + ": interpreter path is not NUL-terminated");
    }

    private void checkEntry() throws ElfException {
        boolean anyExecutable = false;
        for (ProgramHeader load : loads) {
            if (!load.isExecutable()) {
                continue;
            }
            anyExecutable = true;
            // The entry must be in the file-backed part: zero-filled memory holds no code.
            if (Long.compareUnsigned(entry, load.vaddr()) >= 0
                    && Long.compareUnsigned(entry - load.vaddr(), load.filesz()) < 0) {
                if ((entry & 1) != 0) {
                    throw new ElfException("entry point " + Hex.of(entry) + " is not 2-byte aligned");
                }
                return;
            }
        }
        if (!anyExecutable) {
            throw new ElfException("no executable PT_LOAD segment (entry point " + Hex.of(entry) + ")");
        }
        throw new ElfException("entry point " + Hex.of(entry)
                + " is not inside the file-backed part of an executable PT_LOAD segment");
    }

    // ------------------------------------------------------------------------------------------------ sections

    private record Section(int index, String name, int type, long flags, long addr, long offset, long size, int link,
                           int info, long entsize) {
        String label() {
            return name.isEmpty() ? "section " + index : "section " + index + " (" + name + ")";
        }

        boolean hasFileData() {
            return type != SHT_NULL && type != SHT_NOBITS;
        }
    }

    private void parseSections() throws ElfException {
        if (shnum == 0) {
            return; // sections are optional for execution; e_shoff and e_shstrndx are then meaningless
        }
        int expectedSize = is64 ? 64 : 40;
        if (shnum > MAX_SHNUM) {
            throw new ElfException("too many section headers: e_shnum is " + shnum + ", at most " + MAX_SHNUM
                    + " are supported");
        }
        if (shentsize != expectedSize) {
            throw new ElfException("e_shentsize is " + shentsize + ", expected " + expectedSize + " for "
                    + (is64 ? "ELF64" : "ELF32"));
        }
        long tableSize = (long) shnum * shentsize;
        if (!r.inRange(shoff, tableSize)) {
            throw new ElfException("section header table " + Hex.of(shoff) + "+" + Hex.of(tableSize)
                    + " exceeds file size " + Hex.of(r.size()));
        }
        if (shstrndx == SHN_XINDEX) {
            throw new ElfException("e_shstrndx is SHN_XINDEX: extended section numbering is not supported");
        }
        if (shstrndx >= shnum) {
            throw new ElfException("e_shstrndx " + shstrndx + " is out of range (e_shnum is " + shnum + ")");
        }
        long[] nameOffsets = new long[shnum];
        List<Section> raw = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long b = shoff + (long) i * shentsize;
            Section s;
            if (is64) {
                s = new Section(i, "", (int) r.u32(b + 4), r.u64(b + 8), r.u64(b + 16), r.u64(b + 24),
                        r.u64(b + 32), (int) r.u32(b + 40), (int) r.u32(b + 44), r.u64(b + 56));
            } else {
                s = new Section(i, "", (int) r.u32(b + 4), r.u32(b + 8), r.u32(b + 12), r.u32(b + 16),
                        r.u32(b + 20), (int) r.u32(b + 24), (int) r.u32(b + 28), r.u32(b + 36));
            }
            nameOffsets[i] = r.u32(b);
            if (i == 0 && s.type() != SHT_NULL) {
                throw new ElfException("section 0: type is " + s.type() + ", the reserved first section must be "
                        + "SHT_NULL");
            }
            if (s.hasFileData() && !r.inRange(s.offset(), s.size())) {
                throw new ElfException(s.label() + ": file range " + Hex.of(s.offset()) + "+" + Hex.of(s.size())
                        + " exceeds file size " + Hex.of(r.size()));
            }
            raw.add(s);
        }
        StringTable names = null;
        if (shstrndx != SHN_UNDEF) {
            Section strtab = raw.get(shstrndx);
            if (strtab.type() != SHT_STRTAB) {
                throw new ElfException("e_shstrndx " + shstrndx + " refers to a section of type " + strtab.type()
                        + ", not SHT_STRTAB (3)");
            }
            names = new StringTable(r, strtab.offset(), strtab.size(), "the section name table (section "
                    + shstrndx + ")");
        }
        for (Section s : raw) {
            String name = names == null ? "" : names.get(nameOffsets[s.index()], "section " + s.index());
            sections.add(new Section(s.index(), name, s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(),
                    s.info(), s.entsize()));
        }
    }

    // ------------------------------------------------------------------------------------------------- symbols

    private List<Symbol> parseSymbols() throws ElfException {
        Section table = uniqueSection(SHT_SYMTAB, "SHT_SYMTAB");
        if (table == null) {
            table = uniqueSection(SHT_DYNSYM, "SHT_DYNSYM");
        }
        if (table == null) {
            return List.of();
        }
        String what = table.label();
        long entsize = is64 ? 24 : 16;
        if (table.entsize() != entsize) {
            throw new ElfException(what + ": entry size " + Hex.of(table.entsize()) + ", expected " + entsize);
        }
        if (Long.remainderUnsigned(table.size(), entsize) != 0) {
            throw new ElfException(what + ": size " + Hex.of(table.size()) + " is not a multiple of the entry size "
                    + entsize);
        }
        long count = Long.divideUnsigned(table.size(), entsize);
        if (count > MAX_SYMBOLS) {
            throw new ElfException(what + ": " + count + " symbols, at most " + MAX_SYMBOLS + " are supported");
        }
        Section strtab = linkedStringTable(table);
        StringTable strings = new StringTable(r, strtab.offset(), strtab.size(), strtab.label());
        List<Symbol> symbols = new ArrayList<>((int) count);
        for (int i = 1; i < count; i++) { // entry 0 is the reserved undefined symbol
            long b = table.offset() + i * entsize;
            long nameOffset = r.u32(b);
            int info;
            int shndx;
            long value;
            long size;
            if (is64) {
                info = r.u8(b + 4);
                shndx = r.u16(b + 6);
                value = r.u64(b + 8);
                size = r.u64(b + 16);
            } else {
                value = r.u32(b + 4);
                size = r.u32(b + 8);
                info = r.u8(b + 12);
                shndx = r.u16(b + 14);
            }
            String name = strings.get(nameOffset, "symbol " + i + " in " + what);
            if (shndx < SHN_LORESERVE && shndx >= shnum) {
                throw new ElfException("symbol " + i + " (" + name + ") in " + what + ": section index " + shndx
                        + " is out of range (e_shnum is " + shnum + ")");
            }
            if (shndx == SHN_UNDEF || name.isEmpty()) {
                continue; // undefined or anonymous (section) symbols have no address worth looking up
            }
            symbols.add(new Symbol(name, value, size, Symbol.Type.of(info & 0xf), Symbol.Bind.of(info >>> 4)));
        }
        return Collections.unmodifiableList(symbols);
    }

    private Section uniqueSection(int sectionType, String typeName) throws ElfException {
        Section found = null;
        for (Section s : sections) {
            if (s.type() == sectionType) {
                if (found != null) {
                    throw new ElfException("more than one " + typeName + " section: " + found.label() + " and "
                            + s.label());
                }
                found = s;
            }
        }
        return found;
    }

    private Section linkedStringTable(Section table) throws ElfException {
        int link = table.link();
        if (link <= 0 || link >= sections.size()) {
            throw new ElfException(table.label() + ": sh_link " + Integer.toUnsignedString(link)
                    + " is not a valid section index (e_shnum is " + shnum + ")");
        }
        Section strtab = sections.get(link);
        if (strtab.type() != SHT_STRTAB) {
            throw new ElfException(table.label() + ": sh_link " + link + " refers to " + strtab.label()
                    + " of type " + strtab.type() + ", not SHT_STRTAB (3)");
        }
        return strtab;
    }

    // --------------------------------------------------------------------------------------------- relocations

    private List<Relocation> parseRelocations() throws ElfException {
        RelocationList.Builder out = new RelocationList.Builder(MAX_RELOCATIONS);
        if (dynamic != null) {
            parseDynamicRelocations(out);
        } else {
            for (Section s : sections) {
                if ((s.flags() & SHF_ALLOC) == 0) {
                    continue; // non-allocated RELA sections are link-time leftovers (--emit-relocs)
                }
                switch (s.type()) {
                    case SHT_RELA -> readRelaTable(out, s.label(), s.offset(), s.size(), s.entsize());
                    case SHT_RELR -> readRelrTable(out, s.label(), s.offset(), s.size(), s.entsize());
                    case SHT_REL -> throw new ElfException(s.label() + ": SHT_REL relocations are not supported "
                            + "(RISC-V uses SHT_RELA)");
                    default -> {
                    }
                }
            }
        }
        return out.build();
    }

    private void parseDynamicRelocations(RelocationList.Builder out) throws ElfException {
        String what = "PT_DYNAMIC";
        long entsize = 2L * wordSize;
        if (dynamic.filesz() % entsize != 0) {
            throw new ElfException(what + ": size " + Hex.of(dynamic.filesz())
                    + " is not a multiple of the entry size " + entsize);
        }
        long count = dynamic.filesz() / entsize;
        Map<Long, Long> tags = new HashMap<>();
        boolean terminated = false;
        for (long i = 0; i < count; i++) {
            long b = dynamic.offset() + i * entsize;
            long tag = is64 ? r.u64(b) : (int) r.u32(b); // d_tag is signed
            long value = r.word(b + wordSize, is64);
            if (tag == DT_NULL) {
                terminated = true;
                break;
            }
            if (tag == DT_RELA || tag == DT_RELASZ || tag == DT_RELAENT || tag == DT_REL || tag == DT_RELSZ
                    || tag == DT_RELENT || tag == DT_JMPREL || tag == DT_PLTRELSZ || tag == DT_PLTREL
                    || tag == DT_RELR || tag == DT_RELRSZ || tag == DT_RELRENT) {
                if (tags.put(tag, value) != null) {
                    throw new ElfException(what + ": duplicate " + dynamicTagName(tag) + " entry");
                }
            }
        }
        if (!terminated) {
            throw new ElfException(what + ": no DT_NULL terminator within " + Hex.of(dynamic.filesz()) + " bytes");
        }
        if (tags.containsKey(DT_REL) || tags.getOrDefault(DT_RELSZ, 0L) != 0) {
            throw new ElfException(what + ": DT_REL relocations are not supported (RISC-V uses DT_RELA)");
        }
        readDynamicTable(out, tags, DT_RELA, DT_RELASZ, tags.get(DT_RELAENT), "DT_RELA", false);
        if (tags.containsKey(DT_JMPREL) || tags.getOrDefault(DT_PLTRELSZ, 0L) != 0) {
            Long pltrel = tags.get(DT_PLTREL);
            if (pltrel == null || pltrel != DT_RELA) {
                throw new ElfException(what + ": DT_PLTREL is " + (pltrel == null ? "missing" : Hex.of(pltrel))
                        + ", expected DT_RELA (7)");
            }
            // PLT relocations are plain RELA records; there is no separate entry-size tag.
            readDynamicTable(out, tags, DT_JMPREL, DT_PLTRELSZ, 3L * wordSize, "DT_JMPREL", false);
        }
        readDynamicTable(out, tags, DT_RELR, DT_RELRSZ, tags.get(DT_RELRENT), "DT_RELR", true);
    }

    /**
     * Reads the table a dynamic address tag points to.
     *
     * @param entsize the entry size from the matching tag, or null if the tag is absent
     */
    private void readDynamicTable(RelocationList.Builder out, Map<Long, Long> tags, long addrTag, long sizeTag,
                                  Long entsize, String name, boolean relr) throws ElfException {
        Long address = tags.get(addrTag);
        Long size = tags.get(sizeTag);
        String what = "PT_DYNAMIC " + name;
        if (address == null) {
            if (size != null && size != 0) {
                throw new ElfException(what + ": " + dynamicTagName(sizeTag) + " is " + Hex.of(size) + " but "
                        + name + " is missing");
            }
            return;
        }
        if (size == null) {
            throw new ElfException(what + ": " + dynamicTagName(sizeTag) + " is missing");
        }
        String entTagName = relr ? "DT_RELRENT" : "DT_RELAENT";
        if (entsize == null) {
            throw new ElfException(what + ": " + entTagName + " is missing");
        }
        long expected = relr ? wordSize : 3L * wordSize;
        if (entsize != expected) {
            throw new ElfException(what + ": " + entTagName + " is " + Hex.of(entsize) + ", expected " + expected);
        }
        if (size == 0) {
            return;
        }
        if (Long.remainderUnsigned(size, expected) != 0) {
            throw new ElfException(what + ": size " + Hex.of(size) + " is not a multiple of the entry size "
                    + expected);
        }
        checkCount(out, what, Long.divideUnsigned(size, expected));
        long fileOffset = fileOffsetOf(address, size, what + ": table " + Hex.of(address) + "+" + Hex.of(size));
        if (relr) {
            readRelrTable(out, what, fileOffset, size, entsize);
        } else {
            readRelaTable(out, what, fileOffset, size, entsize);
        }
    }

    private void checkCount(RelocationList.Builder out, String what, long count) throws ElfException {
        if (Long.compareUnsigned(count, MAX_RELOCATIONS - out.size()) > 0) {
            throw new ElfException(what + ": " + Long.toUnsignedString(count) + " relocation entries, at most "
                    + MAX_RELOCATIONS + " relocations are supported");
        }
    }

    /** Reads RELA records; the range has been checked to lie inside the file. */
    private void readRelaTable(RelocationList.Builder out, String what, long offset, long size, long entsize)
            throws ElfException {
        long expected = 3L * wordSize;
        if (entsize != expected) {
            throw new ElfException(what + ": entry size " + Hex.of(entsize) + ", expected " + expected);
        }
        if (Long.remainderUnsigned(size, expected) != 0) {
            throw new ElfException(what + ": size " + Hex.of(size) + " is not a multiple of the entry size "
                    + expected);
        }
        long count = Long.divideUnsigned(size, expected);
        checkCount(out, what, count);
        for (long i = 0; i < count; i++) {
            long b = offset + i * expected;
            long where = r.word(b, is64);
            long info = r.word(b + wordSize, is64);
            long addend = r.word(b + 2L * wordSize, is64);
            long relType = is64 ? info & 0xffff_ffffL : info & 0xff;
            long sym = is64 ? info >>> 32 : info >>> 8;
            String item = "relocation " + i + " in " + what;
            if (relType == Relocation.R_RISCV_NONE) {
                continue;
            }
            if (relType != Relocation.R_RISCV_RELATIVE) {
                throw new ElfException(item + " at " + Hex.of(where) + ": unsupported relocation type "
                        + Relocation.typeName(relType) + " (" + relType + "); a static PIE may only contain "
                        + "R_RISCV_RELATIVE and R_RISCV_NONE");
            }
            if (sym != 0) {
                throw new ElfException(item + " at " + Hex.of(where) + ": R_RISCV_RELATIVE refers to symbol " + sym
                        + ", expected none");
            }
            addRelative(out, item, where, addend);
        }
    }

    /**
     * Decodes a packed RELR table: an even entry is an address to relocate; an odd entry is a bitmap of the
     * following {@code wordbits-1} words. RELR has implicit addends: the link-time value stored at the target.
     */
    private void readRelrTable(RelocationList.Builder out, String what, long offset, long size, long entsize)
            throws ElfException {
        if (entsize != wordSize) {
            throw new ElfException(what + ": entry size " + Hex.of(entsize) + ", expected " + wordSize);
        }
        if (Long.remainderUnsigned(size, wordSize) != 0) {
            throw new ElfException(what + ": size " + Hex.of(size) + " is not a multiple of the entry size "
                    + wordSize);
        }
        long count = Long.divideUnsigned(size, wordSize);
        checkCount(out, what, count);
        long mask = is64 ? -1L : 0xffff_ffffL;
        int bitsPerEntry = 8 * wordSize - 1;
        long next = 0;
        boolean haveBase = false;
        for (long i = 0; i < count; i++) {
            long e = r.word(offset + i * wordSize, is64);
            String item = "RELR entry " + i + " in " + what;
            if ((e & 1) == 0) {
                // Producers emit addresses in ascending order; requiring it also stops a small table from
                // relocating the same words over and over.
                if (haveBase && Long.compareUnsigned(e, next) < 0) {
                    throw new ElfException(item + ": address " + Hex.of(e) + " is below " + Hex.of(next)
                            + ", the end of the previous entry; RELR addresses must ascend");
                }
                addRelr(out, item, e);
                next = (e + wordSize) & mask;
                haveBase = true;
            } else {
                if (!haveBase) {
                    throw new ElfException(item + ": bitmap entry before any address entry");
                }
                long bits = e >>> 1;
                for (int k = 0; k < bitsPerEntry; k++) {
                    if ((bits >>> k & 1) != 0) {
                        addRelr(out, item, (next + (long) k * wordSize) & mask);
                    }
                }
                next = (next + (long) bitsPerEntry * wordSize) & mask;
            }
        }
    }

    private void addRelr(RelocationList.Builder out, String item, long where) throws ElfException {
        long fileOffset = fileOffsetOf(where, wordSize, item + ": target " + Hex.of(where));
        addRelative(out, item, where, r.word(fileOffset, is64));
    }

    private void addRelative(RelocationList.Builder out, String item, long where, long addend) throws ElfException {
        if (!inMemory(lastTarget, where) && (lastTarget = findLoad(where)) == null) {
            throw new ElfException(item + ": target " + Hex.of(where) + "+" + wordSize
                    + " is not inside any PT_LOAD segment");
        }
        if (out.size() >= MAX_RELOCATIONS) {
            throw new ElfException(item + ": more than " + MAX_RELOCATIONS + " relocations");
        }
        out.add(where, addend); // cannot fail: the cap was checked just above
    }

    private ProgramHeader findLoad(long where) {
        for (ProgramHeader load : loads) {
            if (inMemory(load, where)) {
                return load;
            }
        }
        return null;
    }

    /** Whether the word at {@code where} lies inside {@code [vaddr, vaddr+memsz)} of {@code load}. */
    private boolean inMemory(ProgramHeader load, long where) {
        return load != null && Long.compareUnsigned(where, load.vaddr()) >= 0
                && Long.compareUnsigned(load.memsz(), wordSize) >= 0
                && Long.compareUnsigned(where - load.vaddr(), load.memsz() - wordSize) <= 0;
    }

    /** Whether {@code [vaddr, vaddr+size)} lies inside the file-backed part {@code [vaddr, vaddr+filesz)}. */
    private static boolean inFile(ProgramHeader load, long vaddr, long size) {
        long delta = vaddr - load.vaddr();
        return Long.compareUnsigned(vaddr, load.vaddr()) >= 0 && Long.compareUnsigned(delta, load.filesz()) <= 0
                && Long.compareUnsigned(size, load.filesz() - delta) <= 0;
    }

    /** Maps a virtual address range to file offsets through the PT_LOAD whose file-backed part contains it. */
    private long fileOffsetOf(long vaddr, long size, String what) throws ElfException {
        for (ProgramHeader load : loads) {
            if (inFile(load, vaddr, size)) {
                return load.offset() + (vaddr - load.vaddr()); // within the segment's validated file range
            }
        }
        throw new ElfException(what + " is not inside the file-backed part of any PT_LOAD segment");
    }

    private static String dynamicTagName(long tag) {
        if (tag == DT_PLTRELSZ) return "DT_PLTRELSZ";
        if (tag == DT_RELA) return "DT_RELA";
        if (tag == DT_RELASZ) return "DT_RELASZ";
        if (tag == DT_RELAENT) return "DT_RELAENT";
        if (tag == DT_REL) return "DT_REL";
        if (tag == DT_RELSZ) return "DT_RELSZ";
        if (tag == DT_RELENT) return "DT_RELENT";
        if (tag == DT_PLTREL) return "DT_PLTREL";
        if (tag == DT_JMPREL) return "DT_JMPREL";
        if (tag == DT_RELRSZ) return "DT_RELRSZ";
        if (tag == DT_RELR) return "DT_RELR";
        if (tag == DT_RELRENT) return "DT_RELRENT";
        return "tag " + Hex.of(tag);
    }
}
