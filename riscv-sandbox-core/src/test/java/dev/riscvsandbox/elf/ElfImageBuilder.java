package dev.riscvsandbox.elf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes RISC-V ELF32/ELF64 images in memory, so the parser tests need no toolchain and no binaries in the
 * repository. Low level on purpose: the caller places bytes at file offsets and describes program headers and
 * sections; nothing is validated, so malformed images are as easy to make as good ones.
 *
 * <p>Layout: ELF header at 0, program header table right after it (space for {@link #RESERVED_PHDRS} entries is
 * reserved so content offsets do not move), caller content, then (if enabled) the section name table and the
 * section header table at the end.
 */
final class ElfImageBuilder {
    static final int RESERVED_PHDRS = 16;

    final boolean is64;
    int type = 2;
    int machine = 243;
    long entry;
    int flags = 0x5; // RVC, double-float ABI
    int osabi = 0;
    boolean sectionsEnabled = true;

    private byte[] content = new byte[0];
    private final List<long[]> phdrs = new ArrayList<>();
    private final List<Object[]> sections = new ArrayList<>();

    ElfImageBuilder(boolean is64) {
        this.is64 = is64;
    }

    int ehsize() {
        return is64 ? 64 : 52;
    }

    int phentsize() {
        return is64 ? 56 : 32;
    }

    int shentsize() {
        return is64 ? 64 : 40;
    }

    int wordSize() {
        return is64 ? 8 : 4;
    }

    /** First file offset after the reserved program header space. */
    long contentStart() {
        return ehsize() + (long) RESERVED_PHDRS * phentsize();
    }

    /** Current end of the file content. */
    long end() {
        return Math.max(content.length, contentStart());
    }

    /** Writes bytes at an absolute file offset, growing the image as needed. */
    ElfImageBuilder put(long offset, byte[] bytes) {
        int end = Math.toIntExact(offset + bytes.length);
        if (end > content.length) {
            content = Arrays.copyOf(content, end);
        }
        System.arraycopy(bytes, 0, content, (int) offset, bytes.length);
        return this;
    }

    /** Appends bytes at the end, aligned, and returns their file offset. */
    long append(byte[] bytes, int align) {
        long offset = (end() + align - 1) / align * align;
        put(offset, bytes);
        return offset;
    }

    ElfImageBuilder phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        phdrs.add(new long[] {type, flags, offset, vaddr, vaddr, filesz, memsz, align});
        return this;
    }

    /** Adds a section header and returns its index (index 0 is the automatic SHT_NULL entry). */
    int section(String name, int type, long flags, long addr, long offset, long size, int link, int info,
                long align, long entsize) {
        sections.add(new Object[] {name, new long[] {type, flags, addr, offset, size, link, info, align, entsize}});
        return sections.size();
    }

    byte[] build() {
        if (phdrs.size() > RESERVED_PHDRS) {
            throw new IllegalStateException("too many program headers for the reserved space");
        }
        Le out = new Le(is64);
        byte[] body = Arrays.copyOf(content, (int) end());
        long shoff = 0;
        int shnum = 0;
        int shstrndx = 0;
        if (sectionsEnabled) {
            StringTableBuilder names = new StringTableBuilder();
            int[] nameOffsets = new int[sections.size()];
            for (int i = 0; i < sections.size(); i++) {
                nameOffsets[i] = names.add((String) sections.get(i)[0]);
            }
            int shstrtabName = names.add(".shstrtab");
            byte[] strtab = names.bytes();
            long strtabOffset = body.length;
            body = concat(body, strtab);
            shoff = (body.length + 7) / 8 * 8;
            body = Arrays.copyOf(body, (int) shoff);
            Le sh = new Le(is64);
            sh.zeros(shentsize());
            for (int i = 0; i < sections.size(); i++) {
                long[] s = (long[]) sections.get(i)[1];
                writeShdr(sh, nameOffsets[i], s);
            }
            writeShdr(sh, shstrtabName, new long[] {3, 0, 0, strtabOffset, strtab.length, 0, 0, 1, 0});
            body = concat(body, sh.bytes());
            shnum = sections.size() + 2;
            shstrndx = shnum - 1;
        }
        // ELF header
        out.u8(0x7f).u8('E').u8('L').u8('F').u8(is64 ? 2 : 1).u8(1).u8(1).u8(osabi).zeros(8);
        out.u16(type).u16(machine).u32(1).word(entry).word(ehsize()).word(shoff).u32(flags);
        out.u16(ehsize()).u16(phentsize()).u16(phdrs.size()).u16(shentsize()).u16(shnum).u16(shstrndx);
        for (long[] p : phdrs) {
            if (is64) {
                out.u32(p[0]).u32(p[1]).u64(p[2]).u64(p[3]).u64(p[4]).u64(p[5]).u64(p[6]).u64(p[7]);
            } else {
                out.u32(p[0]).u32(p[2]).u32(p[3]).u32(p[4]).u32(p[5]).u32(p[6]).u32(p[1]).u32(p[7]);
            }
        }
        byte[] header = out.bytes();
        byte[] image = body.length >= header.length ? body : Arrays.copyOf(body, header.length);
        System.arraycopy(header, 0, image, 0, header.length);
        return image;
    }

    private void writeShdr(Le sh, int name, long[] s) {
        sh.u32(name).u32(s[0]);
        if (is64) {
            sh.u64(s[1]).u64(s[2]).u64(s[3]).u64(s[4]).u32(s[5]).u32(s[6]).u64(s[7]).u64(s[8]);
        } else {
            sh.u32(s[1]).u32(s[2]).u32(s[3]).u32(s[4]).u32(s[5]).u32(s[6]).u32(s[7]).u32(s[8]);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Little-endian byte writer with an address-sized {@link #word}. */
    static final class Le {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final boolean is64;

        Le(boolean is64) {
            this.is64 = is64;
        }

        Le u8(long v) {
            out.write((int) v);
            return this;
        }

        Le u16(long v) {
            return u8(v).u8(v >>> 8);
        }

        Le u32(long v) {
            return u16(v).u16(v >>> 16);
        }

        Le u64(long v) {
            return u32(v).u32(v >>> 32);
        }

        Le word(long v) {
            return is64 ? u64(v) : u32(v);
        }

        Le zeros(int n) {
            out.writeBytes(new byte[n]);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Builds a string table; offset 0 is the empty string. */
    static final class StringTableBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        StringTableBuilder() {
            out.write(0);
        }

        int add(String s) {
            if (s.isEmpty()) {
                return 0;
            }
            int offset = out.size();
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            return offset;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Builds a symbol table (entry 0 is the null symbol) and its string table. */
    static final class SymbolTableBuilder {
        private final boolean is64;
        private final StringTableBuilder strings = new StringTableBuilder();
        private final Le table;

        SymbolTableBuilder(boolean is64) {
            this.is64 = is64;
            this.table = new Le(is64);
            table.zeros(entrySize());
        }

        int entrySize() {
            return is64 ? 24 : 16;
        }

        /** @param type STT_* value; @param bind STB_* value; @param shndx section index (0 = undefined) */
        SymbolTableBuilder add(String name, long value, long size, int type, int bind, int shndx) {
            return addRaw(strings.add(name), value, size, (bind << 4) | type, shndx);
        }

        SymbolTableBuilder addRaw(long nameOffset, long value, long size, int info, int shndx) {
            if (is64) {
                table.u32(nameOffset).u8(info).u8(0).u16(shndx).u64(value).u64(size);
            } else {
                table.u32(nameOffset).u32(value).u32(size).u8(info).u8(0).u16(shndx);
            }
            return this;
        }

        byte[] symtab() {
            return table.bytes();
        }

        byte[] strtab() {
            return strings.bytes();
        }
    }
}
