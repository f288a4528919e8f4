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
import java.time.ZonedDateTime;
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
 * The request the application sees after on_recv: the tenant's method and headers (when it changed them), and, when
 * the tenant registered on_deliver, asynchronous processing routed through the {@link DeliverResponse} so that
 * on_deliver still runs before the response commits and the VM is closed when the response completes. URL rewrites
 * are not applied here: the filter forwards to the new path, so the container maps it to the right servlet.
 */
final class SandboxRequest extends HttpServletRequestWrapper {
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
    private DeliveringAsyncContext async;

    SandboxRequest(HttpServletRequest request, HttpRequest edited, DeliverResponse deliver, ServletResponse response) {
        super(request);
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
        try {
            return ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("header " + name + " is not an HTTP date: " + v, e);
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
