package dev.riscvsandbox.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Init parameters and tenant selectors: what a misconfigured deployment is told. */
class FilterConfigurationTest {
    static FilterConfig config(Map<String, String> params) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "sandbox";
            }

            @Override
            public ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }

    static String initError(Map<String, String> params) {
        return assertThrows(ServletException.class, () -> new RiscvSandboxFilter().init(config(params))).getMessage();
    }

    @Test
    void exactlyOneTenantSourceIsRequired() {
        assertTrue(initError(Map.of()).contains("exactly one of the init parameters 'tenants'"));
        assertTrue(initError(Map.of("tenants", "a.json", "tenants-json", "{}")).contains("exactly one"));
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(initError(Map.of("tenants-json", "{}", "tenant-selector", "cookie:x"))
                .contains("'host', 'header:NAME' or 'attribute:NAME', not 'cookie:x'"));
        assertTrue(initError(Map.of("tenants-json", "{}", "unknown-tenant", "maybe"))
                .contains("'reject' or 'pass', not 'maybe'"));
        assertTrue(initError(Map.of("tenants", "/nonexistent/tenants.json")).contains("cannot read tenants file"));
        assertTrue(initError(Map.of("tenants-json", "[1, 2]")).startsWith("RiscvSandboxFilter: "));
    }

    @Test
    void inlineJsonConfiguresTheFilter() throws ServletException {
        RiscvSandboxFilter f = new RiscvSandboxFilter();
        f.init(config(Map.of("tenants-json", "{}", "tenant-selector", "header:X-Tenant", "unknown-tenant", "pass")));
        try {
            assertEquals(Map.of(), f.sandbox().tenants());
        } finally {
            f.destroy();
        }
    }

    @Test
    void selectorsParse() {
        assertThrows(IllegalArgumentException.class, () -> TenantResolver.parse("header:"));
        assertThrows(IllegalArgumentException.class, () -> TenantResolver.parse("attribute"));
        TenantResolver.parse(" host ");
        TenantResolver.parse("header: X-Tenant");
        TenantResolver.parse("attribute:tenant");
    }
}
