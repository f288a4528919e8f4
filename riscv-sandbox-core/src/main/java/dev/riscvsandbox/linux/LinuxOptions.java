package dev.riscvsandbox.linux;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * How a guest process sees its environment: its standard streams, random source, clock and stack and heap sizes.
 *
 * @param stdout     sink for fd 1
 * @param stderr     sink for fd 2
 * @param stdin      source for fd 0
 * @param randomSeed seed for getrandom and AT_RANDOM, or null for a fresh random seed
 * @param clock      wall clock for CLOCK_REALTIME and gettimeofday
 * @param startNanos {@link System#nanoTime()} origin of CLOCK_MONOTONIC
 * @param stackSize  bytes of stack mapped below the stack top
 * @param maxBrk     how far brk may grow above the end of the program image
 */
public record LinuxOptions(OutputStream stdout, OutputStream stderr, InputStream stdin, Long randomSeed, Clock clock,
                           long startNanos, long stackSize, long maxBrk) {
}
