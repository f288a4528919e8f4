package dev.riscvsandbox.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The objects built on first use: a copy of another object (the forge phase's BEREQ) and an empty response (BERESP,
 * a synthetic RESP). The guest tests always read the request before a forge callback runs, so the copy of a request
 * nobody has looked at yet, and a pending object that is cleared or refilled before anyone looks, are covered here.
 */
class HttpFieldsTest {
    private static final HttpResponse APP_RESPONSE = InMemoryResponse.builder().status(200)
            .header("X-App", "1").build();

    private static HttpFields request() {
        HttpFields req = new HttpFields();
        req.setRequest(InMemoryRequest.get("/page?q=1", new Header("Host", "t.example"), new Header("X-A", "a")));
        return req;
    }

    @Test
    void aCopyOfARequestNobodyReadYetHasTheRequestsFields() {
        HttpFields req = request();
        HttpFields bereq = new HttpFields();
        bereq.copyFrom(req); // req is still pending: the copy must fill it first
        assertEquals("GET", bereq.get(HttpFields.METHOD));
        assertEquals("/page?q=1", bereq.get(HttpFields.URL));
        assertEquals("X-A: a", bereq.get(bereq.find("X-A")));
        assertEquals(List.of(new Header("Host", "t.example"), new Header("X-A", "a")), bereq.headers());
        assertEquals(2, bereq.headerCount());
    }

    @Test
    void aCopyIsIndependentOfItsSourceOnceTaken() {
        HttpFields req = request();
        HttpFields bereq = new HttpFields();
        bereq.copyFrom(req);
        assertEquals(HttpFields.FIRST_HEADER + 2, bereq.count());
        req.append("X-Later: 1");
        bereq.append("X-Copy: 1");
        assertEquals(-1, bereq.find("X-Later"));
        assertEquals(-1, req.find("X-Copy"));
    }

    @Test
    void aStartedResponseHasItsStatusAndReasonAndNoHeaders() {
        HttpFields resp = new HttpFields();
        resp.startResponse(404);
        assertEquals(0, resp.headerCount());
        assertEquals(404, resp.status());
        assertEquals("Not Found", resp.get(HttpFields.REASON));
        assertEquals("HTTP/1.1", resp.get(HttpFields.PROTO));
        assertEquals(HttpFields.FIRST_HEADER, resp.count());
        resp.append("X-B: 1");
        assertEquals(1, resp.headerCount());
    }

    @Test
    void aPendingStartedResponseGivesWayToTheNextSource() {
        HttpFields resp = new HttpFields();
        resp.startResponse(404);
        resp.setResponse(APP_RESPONSE);
        assertEquals(200, resp.status());
        assertEquals(1, resp.headerCount());

        resp.startResponse(404);
        resp.clear();
        resp.startResponse(201);
        assertEquals(201, resp.status());
    }

    @Test
    void aPendingCopyGivesWayToTheNextSource() {
        HttpFields resp = new HttpFields();
        resp.copyFrom(request());
        resp.setResponse(APP_RESPONSE);
        assertEquals(200, resp.status());
        assertEquals(List.of(new Header("X-App", "1")), resp.headers());

        resp.copyFrom(request());
        resp.clear();
        assertEquals(HttpFields.FIRST_HEADER, resp.count()); // a cleared copy is an empty object
        assertNull(resp.get(HttpFields.URL));
    }
}
