package org.rasguard.server.config;

import java.util.List;
import java.util.function.Function;

/**
 * The one reader of environment variables for every settings record of this package: a blank
 * variable is unset, values are trimmed, and a value that does not parse adds a problem (naming the
 * variable and the value, which is configuration, never PHI) and falls back, so that start-up can
 * report every problem at once ({@link ServerConfig.InvalidConfigException}).
 */
final class Env {

    private Env() {}

    /** A comma-separated list; blank entries dropped. */
    static List<String> list(Function<String, String> env, String name) {
        String raw = value(env, name, "");
        return java.util.Arrays.stream(raw.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .toList();
    }

    static boolean booleanValue(Function<String, String> env, String name, boolean fallback, List<String> problems) {
        String raw = value(env, name, null);
        if (raw == null) {
            return fallback;
        }
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw);
        }
        problems.add(name + "='" + raw + "' is not true or false");
        return fallback;
    }

    static String value(Function<String, String> env, String name, String fallback) {
        String raw = env.apply(name);
        return raw == null || raw.isBlank() ? fallback : raw.trim();
    }

    static int intValue(
            Function<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
        return (int) longValue(env, name, fallback, min, max, problems);
    }

    static long longValue(
            Function<String, String> env, String name, long fallback, long min, long max, List<String> problems) {
        String raw = value(env, name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(raw);
            if (parsed < min || parsed > max) {
                problems.add(name + "=" + raw + " is out of range (" + min + ".." + max + ")");
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + "='" + raw + "' is not a whole number");
            return fallback;
        }
    }
}
