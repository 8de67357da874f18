package org.rasguard.cdshooks;

/**
 * The client's FHIR server for one call: its base URL (already checked against the allowlist) and
 * the bearer token to present, if any. The token is never logged: {@link #toString()} leaves it out.
 */
public record EhrServer(String baseUrl, String accessToken) {

    @Override
    public String toString() {
        return "EhrServer[" + baseUrl + ", token=" + (accessToken != null ? "present" : "none") + "]";
    }
}
