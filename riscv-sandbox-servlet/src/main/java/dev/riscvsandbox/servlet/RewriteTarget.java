package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.AdapterRules;
import java.util.Locale;

/**
 * Where a tenant's URL rewrite may go in a servlet application. The filter forwards to it, and a forward skips the
 * container's own defences for client URLs (security constraints, protected {@code WEB-INF}/{@code META-INF}
 * directories, path normalisation), so the rewrite is held to stricter rules than a client's URL: those of
 * {@link AdapterRules#rewriteRefusal} (a plain path; answered 503), and inside the application
 * ({@code contextPath/...}) but not in {@code WEB-INF} or {@code META-INF} (answered 404).
 *
 * @param pathInContext the path for {@link jakarta.servlet.ServletContext#getRequestDispatcher}, still encoded
 * @param query         the query (without {@code ?}), or null for none
 */
record RewriteTarget(String pathInContext, String query) {
    /** Why a rewrite was refused, and the status to answer: 503 (the tenant's error) or 404 (not in the application). */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    /**
     * The target of {@code uri} (the tenant's URL) in the application at {@code contextPath}.
     *
     * @throws Refused if the URL breaks one of the rules
     */
    static RewriteTarget of(String uri, String contextPath) throws Refused {
        String refusal = AdapterRules.rewriteRefusal(uri);
        if (refusal != null) {
            throw new Refused(503, refusal);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        String decoded = AdapterRules.decodePath(path);
        if (!contextPath.isEmpty()) {
            boolean inside = decoded.equals(contextPath) || decoded.startsWith(contextPath + "/");
            if (!inside || !path.startsWith(contextPath)) {
                throw new Refused(404, "is outside the application at " + contextPath);
            }
            path = path.substring(contextPath.length());
            decoded = decoded.substring(contextPath.length());
        }
        if (path.isEmpty()) {
            path = "/";
            decoded = "/";
        }
        String lower = decoded.toLowerCase(Locale.ROOT);
        if (isUnder(lower, "/web-inf") || isUnder(lower, "/meta-inf")) {
            throw new Refused(404, "points into WEB-INF or META-INF");
        }
        return new RewriteTarget(path, query);
    }

    private static boolean isUnder(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }
}
