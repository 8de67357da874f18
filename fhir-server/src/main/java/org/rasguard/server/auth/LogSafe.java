package org.rasguard.server.auth;

/** Makes a value from a request safe for one log line: printable ASCII only, and short. */
final class LogSafe {

    private LogSafe() {}

    static String of(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 80; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
