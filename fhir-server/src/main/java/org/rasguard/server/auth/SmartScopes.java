package org.rasguard.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMART on FHIR scopes, v1 ({@code .read}, {@code .write}, {@code .*}) and v2 ({@code .cruds}
 * letters), as the permissions they grant. Anything we cannot enforce exactly is granted nothing:
 * an unknown form, a v2 scope narrowed by a query ({@code ?category=…}), an update without create
 * (HAPI's rules only have "write", which is both).
 *
 * @see <a href="https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html">SMART scopes</a>
 */
public final class SmartScopes {

    /** Whose data a scope reaches: one patient's compartment, or everything this server holds. */
    public enum Level {
        PATIENT,
        USER,
        SYSTEM
    }

    /**
     * One granted scope.
     *
     * @param resourceType a FHIR resource type, or {@code *}
     * @param read read and search ({@code r} or {@code s}; HAPI does not tell them apart)
     * @param create create
     * @param update update (only together with create)
     * @param delete delete
     */
    public record Grant(
            Level level, String resourceType, boolean read, boolean create, boolean update, boolean delete) {
        public boolean writes() {
            return create || update || delete;
        }
    }

    private static final Pattern SCOPE =
            Pattern.compile("(patient|user|system)/([A-Za-z]{1,64}|\\*)\\.([A-Za-z*]{1,5})");
    private static final Pattern V2 = Pattern.compile("c?r?u?d?s?");

    private SmartScopes() {}

    /** The grants of a token's scopes; scopes that grant nothing (openid, launch, odd forms) are skipped. */
    public static List<Grant> parse(List<String> scopes) {
        List<Grant> grants = new ArrayList<>();
        for (String scope : scopes) {
            Matcher matcher = SCOPE.matcher(scope);
            if (!matcher.matches()) {
                continue;
            }
            Level level = Level.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
            String type = matcher.group(2);
            String action = matcher.group(3);
            Grant grant = switch (action) {
                case "read" -> new Grant(level, type, true, false, false, false);
                case "write" -> new Grant(level, type, false, true, true, true);
                case "*" -> new Grant(level, type, true, true, true, true);
                default -> v2(level, type, action);
            };
            if (grant != null && (grant.read() || grant.writes())) {
                grants.add(grant);
            }
        }
        return grants;
    }

    private static Grant v2(Level level, String type, String letters) {
        if (letters.isEmpty() || !V2.matcher(letters).matches()) {
            return null;
        }
        boolean create = letters.contains("c");
        boolean update = letters.contains("u") && create;
        return new Grant(
                level, type, letters.contains("r") || letters.contains("s"), create, update, letters.contains("d"));
    }
}
