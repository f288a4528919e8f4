package dev.riscvsandbox.security;

import static dev.riscvsandbox.security.Review.DATA;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import org.junit.jupiter.api.Test;

/**
 * Regression test from a security review: docs/abi.md says "Results never carry Content-Length: adapters set it from the body", and forge/synth
 * results strip it (headersWithBody). on_deliver's result (and on_synth's without 516) is built from RESP as is, so a
 * tenant can return Content-Length (and Transfer-Encoding, which is stripped nowhere) that contradict the body.
 */
class FramingHeadersTest {
    @Test
    void deliveredResponsesCarryNoFramingHeaders() throws Exception {
        String cl = "Content-Length: 1";
        String te = "Transfer-Encoding: chunked";
        Asm a = Asm.rv64();
        a.label("_start")
                .li(A0, 7).la(A1, "on_deliver").li(A7, 509).ecall()
                .li(A0, 0).li(A1, 0).li(A7, 510).ecall();
        a.label("on_deliver")
                .li(A0, 2).li(A1, DATA).li(A2, cl.length()).li(A7, 522).ecall()
                .li(A0, 2).li(A1, DATA + 64).li(A2, te.length()).li(A7, 522).ecall()
                .ret();
        byte[] data = new byte[128];
        Review.put(data, 0, cl);
        Review.put(data, 64, te);
        TenantProgram p = Review.load(TestElf.builder(64).text(a).data(DATA, data, 4096).build());
        try (TenantVm vm = p.fork()) {
            vm.onRecv(InMemoryRequest.get("/"));
            HttpResponse out = vm.onDeliver(InMemoryResponse.builder().status(200).body("hello world").build());
            assertFalse(out.header("Content-Length").isPresent(), "delivered " + out);
            assertFalse(out.header("Transfer-Encoding").isPresent(), "delivered " + out);
        }
    }
}
