package dev.riscvsandbox.diff;

import dev.riscvsandbox.testutil.Asm;
import java.util.function.Consumer;

/**
 * One generated operation of a test sequence: usually a single instruction, sometimes a short group (operand setup
 * plus the instruction under test, an address computation plus an atomic). Branches jump forward over
 * {@link #skip()} following operations of the same sequence (or to its end).
 */
public record GuestOp(Emitter emitter, int skip) {

    /** Emits the operation; {@code target} is the label of the branch target (null for non-branches). */
    @FunctionalInterface
    public interface Emitter {
        void emit(Asm asm, String target);
    }

    public static GuestOp of(Consumer<Asm> body) {
        return new GuestOp((a, t) -> body.accept(a), -1);
    }

    public static GuestOp branch(int skip, Emitter body) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0");
        }
        return new GuestOp(body, skip);
    }

    public boolean isBranch() {
        return skip >= 0;
    }

    @Override
    public String toString() {
        Asm a = new Asm(64, 0);
        try {
            emitter.emit(a, "target");
            a.label("target");
            StringBuilder sb = new StringBuilder();
            for (Asm.Line l : a.lines()) {
                sb.append(sb.length() == 0 ? "" : "; ").append(l.text());
            }
            return sb.toString();
        } catch (RuntimeException e) {
            return "GuestOp(rv32-only)";
        }
    }
}
