/**
 * riscv-sandbox core: a RISC-V RV32GC/RV64GC user-mode emulator with copy-on-write forks.
 *
 * <p>Start with {@link dev.riscvsandbox.machine.Program} and {@link dev.riscvsandbox.machine.Machine}.
 */
module dev.riscvsandbox.core {
    exports dev.riscvsandbox;
    exports dev.riscvsandbox.elf;
    exports dev.riscvsandbox.host;
    exports dev.riscvsandbox.machine;
    exports dev.riscvsandbox.memory;
    exports dev.riscvsandbox.tenant;

    requires com.fasterxml.jackson.databind;
    requires java.xml;
}
