/**
 * riscv-sandbox for Jetty 12: {@link dev.riscvsandbox.jetty.RiscvSandboxHandler} runs tenant hooks in front of any
 * Jetty core handler; {@code dev.riscvsandbox.jetty.demo} is the runnable multi-tenant edge demo.
 */
module dev.riscvsandbox.jetty {
    exports dev.riscvsandbox.jetty;
    exports dev.riscvsandbox.jetty.demo;

    requires transitive dev.riscvsandbox.core;
    requires transitive org.eclipse.jetty.server;
    // the demo: dynamic backends through Jetty's reverse proxy on its HTTP client
    requires org.eclipse.jetty.proxy;
    requires org.eclipse.jetty.client;
}
