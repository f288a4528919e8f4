package dev.riscvsandbox.host;

import java.util.regex.Pattern;

/**
 * The syntax rules every header, status and method written through this library obeys (RFC 9110): names are tokens,
 * values carry no control characters (CR, LF, NUL, …) but tab, statuses are three digits. Guests cannot inject
 * headers or split responses.
 */
public final class HttpSyntax {
    /** Lowest and highest status a guest may set. */
    public static final int MIN_STATUS = 100, MAX_STATUS = 999;

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private HttpSyntax() {
    }

    /** Whether {@code s} is a non-empty RFC 9110 token (header names, methods). */
    public static boolean isToken(CharSequence s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} may appear in a header value, URL or reason phrase: no control characters (CR, LF, NUL and
     * the others of RFC 9110), except horizontal tab.
     */
    public static boolean isSafeText(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern PROTOCOL = Pattern.compile("[A-Za-z]{1,16}/[0-9](\\.[0-9])?");

    /** Whether {@code s} names a protocol version such as {@code HTTP/1.1} or {@code HTTP/2}. */
    public static boolean isProtocol(String s) {
        return PROTOCOL.matcher(s).matches();
    }

    /** Whether {@code status} is a valid status code (100 to 999). */
    public static boolean isStatus(int status) {
        return status >= MIN_STATUS && status <= MAX_STATUS;
    }

    static String requireToken(String s, String what) {
        if (!isToken(s)) {
            throw new IllegalArgumentException(what + " is not a token: '" + s + "'");
        }
        return s;
    }

    static String requireSafeText(String s, String what) {
        if (!isSafeText(s)) {
            throw new IllegalArgumentException(what + " contains a control character (such as CR, LF or NUL)");
        }
        return s;
    }

    /** The standard reason phrase of {@code status}, or {@code ""} if it has none. */
    public static String reasonPhrase(int status) {
        switch (status) {
            case 100: return "Continue";
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 201: return "Created";
            case 202: return "Accepted";
            case 203: return "Non-Authoritative Information";
            case 204: return "No Content";
            case 205: return "Reset Content";
            case 206: return "Partial Content";
            case 300: return "Multiple Choices";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 303: return "See Other";
            case 304: return "Not Modified";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 402: return "Payment Required";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 411: return "Length Required";
            case 412: return "Precondition Failed";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 415: return "Unsupported Media Type";
            case 416: return "Range Not Satisfiable";
            case 417: return "Expectation Failed";
            case 418: return "I'm a teapot";
            case 421: return "Misdirected Request";
            case 422: return "Unprocessable Content";
            case 425: return "Too Early";
            case 426: return "Upgrade Required";
            case 428: return "Precondition Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 451: return "Unavailable For Legal Reasons";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default: return "";
        }
    }
}
