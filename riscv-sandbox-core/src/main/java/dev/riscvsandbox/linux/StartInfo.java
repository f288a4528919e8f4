package dev.riscvsandbox.linux;

import java.util.List;

/**
 * What the process start needs to know about the loaded program.
 *
 * @param args        argv, argv[0] included
 * @param env         environment strings "NAME=value"
 * @param entry       the program's entry point (AT_ENTRY)
 * @param phdrAddress guest address of the program headers (AT_PHDR), or 0 to copy {@code phdrs} onto the stack
 * @param phdrs       the raw program headers
 * @param phentsize   size of one program header
 * @param phnum       number of program headers
 * @param imageEnd    end of the highest loaded segment: the heap starts above it
 * @param mmapFloor   lowest address for the mmap area
 * @param stackTop    the stack grows down from here
 * @param hwcap       AT_HWCAP: one bit per single-letter extension
 */
public record StartInfo(List<String> args, List<String> env, long entry, long phdrAddress, byte[] phdrs, int phentsize, int phnum,
                        long imageEnd, long mmapFloor, long stackTop, long hwcap) {
}
