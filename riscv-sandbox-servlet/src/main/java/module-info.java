/**
 * riscv-sandbox for jakarta.servlet 6: {@link dev.riscvsandbox.servlet.RiscvSandboxFilter} runs tenant hooks around
 * any servlet application.
 */
module dev.riscvsandbox.servlet {
    exports dev.riscvsandbox.servlet;

    requires transitive dev.riscvsandbox.core;
    requires transitive jakarta.servlet;
}
