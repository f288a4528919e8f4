package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HttpRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request the application sees after on_recv: the tenant's method, headers and query (when it changed them), and,
 * when the tenant registered on_deliver, asynchronous processing routed through the {@link DeliverResponse} so that
 * on_deliver still runs before the response commits and the VM is closed when the response completes. A new path is
 * not applied here: the filter forwards to it, so the container maps it to the right servlet. The query is: the
 * tenant's query string, and its parameters followed by the body's form parameters (as containers order them).
 * Cookies, locales and the character encoding are the container's, from the client's headers.
 */
final class SandboxRequest extends HttpServletRequestWrapper {
    /** The HTTP date formats (RFC 9110 §5.6.7): IMF-fixdate, then the obsolete RFC 850 and asctime forms; GMT. */
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US),
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US));

    /** The tenant's edit of the request, or null when it changed nothing. */
    private final HttpRequest edited;
    /** Header values by lower-case name, in first-seen order of names; null when {@link #edited} is null. */
    private final Map<String, List<String>> headers;
    /** Names in their first spelling, in order. */
    private final List<String> names;
    /** The response wrapper that runs on_deliver, or null when the tenant has no on_deliver. */
    private final DeliverResponse deliver;
    /** The response asynchronous processing writes to: {@link #deliver}, or the filter's response. */
    private final ServletResponse asyncResponse;
    /** Whether the tenant changed the query: then {@link #query} replaces the client's. */
    private final boolean queryChanged;
    private final String query;
    private Map<String, String[]> parameters;
    private DeliveringAsyncContext async;

    /**
     * @param edited   the tenant's edit of the request, or null when it changed nothing
     * @param query    the tenant's query (null for none), used when {@code edited} changed it
     * @param deliver  the on_deliver response, or null
     * @param response the filter's response (for asynchronous processing without on_deliver)
     */
    SandboxRequest(HttpServletRequest request, HttpRequest edited, String query, DeliverResponse deliver,
                   ServletResponse response) {
        super(request);
        this.query = query;
        this.queryChanged = edited != null && !java.util.Objects.equals(query, request.getQueryString());
        this.edited = edited;
        this.deliver = deliver;
        this.asyncResponse = deliver != null ? deliver : response;
        if (edited == null) {
            headers = null;
            names = null;
        } else {
            headers = new LinkedHashMap<>();
            names = new ArrayList<>();
            for (Header h : edited.headers()) {
                List<String> values = headers.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> {
                    names.add(h.name());
                    return new ArrayList<>(1);
                });
                values.add(h.value());
            }
        }
    }

    @Override
    public String getMethod() {
        return edited == null ? super.getMethod() : edited.method();
    }

    @Override
    public String getHeader(String name) {
        if (headers == null) {
            return super.getHeader(name);
        }
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : v.get(0);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (headers == null) {
            return super.getHeaders(name);
        }
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return Collections.enumeration(v == null ? List.of() : v);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return headers == null ? super.getHeaderNames() : Collections.enumeration(names);
    }

    @Override
    public int getIntHeader(String name) {
        if (headers == null) {
            return super.getIntHeader(name);
        }
        String v = getHeader(name);
        return v == null ? -1 : Integer.parseInt(v.trim());
    }

    @Override
    public long getDateHeader(String name) {
        if (headers == null) {
            return super.getDateHeader(name);
        }
        String v = getHeader(name);
        if (v == null) {
            return -1;
        }
        for (DateTimeFormatter f : HTTP_DATES) {
            try {
                return f.parse(v.trim(), java.time.LocalDateTime::from).toInstant(java.time.ZoneOffset.UTC)
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        throw new IllegalArgumentException("header " + name + " is not an HTTP date: " + v);
    }

    @Override
    public String getQueryString() {
        return queryChanged ? query : super.getQueryString();
    }

    @Override
    public String getParameter(String name) {
        if (!queryChanged) {
            return super.getParameter(name);
        }
        String[] v = parameters().get(name);
        return v == null ? null : v[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        if (!queryChanged) {
            return super.getParameterValues(name);
        }
        String[] v = parameters().get(name);
        return v == null ? null : v.clone();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return queryChanged ? Collections.enumeration(parameters().keySet()) : super.getParameterNames();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return queryChanged ? parameters() : super.getParameterMap();
    }

    /**
     * The tenant's query parameters, then the body's form parameters: the container's parameters without the first
     * values of each name that came from the client's query.
     */
    private Map<String, String[]> parameters() {
        Map<String, String[]> p = parameters;
        if (p == null) {
            Map<String, List<String>> m = parseQuery(query);
            Map<String, List<String>> client = parseQuery(super.getQueryString());
            for (Map.Entry<String, String[]> e : super.getParameterMap().entrySet()) {
                String[] all = e.getValue();
                int fromQuery = client.getOrDefault(e.getKey(), List.of()).size();
                for (int i = Math.min(fromQuery, all.length); i < all.length; i++) {
                    m.computeIfAbsent(e.getKey(), k -> new ArrayList<>(1)).add(all[i]);
                }
            }
            Map<String, String[]> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
            p = Collections.unmodifiableMap(out);
            parameters = p;
        }
        return p;
    }

    /** {@code a=1&b=x+y} as form-encoded UTF-8 parameters; a malformed escape keeps its text. */
    private static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return m;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            m.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return m;
    }

    private static String formDecode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String getContentType() {
        return headers == null ? super.getContentType() : getHeader("Content-Type");
    }

    /** Keeps this request (the tenant's edits) and the on_deliver response in the asynchronous cycle. */
    @Override
    public AsyncContext startAsync() {
        return startAsync(this, asyncResponse);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        AsyncContext context = super.startAsync(request, response);
        if (deliver == null) {
            return context;
        }
        context.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                deliver.finish();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this); // listeners must re-register on a new cycle
            }
        });
        async = new DeliveringAsyncContext(context, deliver);
        return async;
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext a = async;
        return a != null && isAsyncStarted() ? a : super.getAsyncContext();
    }
}
