package org.rasguard.server.config;

import static org.rasguard.server.config.Env.booleanValue;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The settings of the clinician page and of the demo data, read with the rest of
 * {@link org.rasguard.server.config.ServerConfig}.
 *
 * <p>The page plays the EHR: it reads the FHIR API and calls the CDS service from the browser,
 * without tokens. So it is served only where both are open, i.e. on loopback (the server refuses
 * to listen elsewhere without authentication) or where the operator said {@code RASGUARD_AUTH=disabled}.
 * As soon as CDS client JWTs ({@code RASGUARD_CDS_ISSUERS}) or FHIR access tokens
 * ({@code RASGUARD_FHIR_ISSUER}) are required the page is off: it cannot mint an EHR's signed JWT,
 * and no exception to the authentication is made for it.
 *
 * @param served whether {@code /} serves the clinician page
 * @param whyOff when not served, why (for the start-up log); null when served
 * @param demoData load the example patients of the knowledge package into the store at start
 */
public record UiSettings(boolean served, String whyOff, boolean demoData) {

    /** The variables read here, in README order. */
    public static final List<String> VARIABLES = List.of("RASGUARD_UI", "RASGUARD_DEMO_DATA");

    /** Reads and checks the settings; adds every problem found to {@code problems}. */
    public static UiSettings from(Function<String, String> env, SecuritySettings security, List<String> problems) {
        boolean demoData = booleanValue(env, "RASGUARD_DEMO_DATA", false, problems);
        String ui = env.apply("RASGUARD_UI");
        String needsTokens = security == null
                ? null
                : security.cdsAuthRequired()
                        ? "RASGUARD_CDS_ISSUERS is set (the CDS service requires client JWTs)"
                        : security.fhirAuthRequired()
                                ? "RASGUARD_FHIR_ISSUER is set (the FHIR API requires access tokens)"
                                : null;
        if (ui == null || ui.isBlank()) {
            return needsTokens == null
                    ? new UiSettings(true, null, demoData)
                    : new UiSettings(false, needsTokens, demoData);
        }
        String value = ui.trim().toLowerCase(Locale.ROOT);
        if (value.equals("false")) {
            return new UiSettings(false, "RASGUARD_UI=false", demoData);
        }
        if (!value.equals("true")) {
            problems.add("RASGUARD_UI='" + ui.trim() + "' is not true or false");
            return new UiSettings(false, "invalid", demoData);
        }
        if (needsTokens != null) {
            problems.add("RASGUARD_UI=true, but " + needsTokens + ": the clinician page calls without tokens and is"
                    + " served only while the CDS service and the FHIR API are open; unset RASGUARD_UI");
            return new UiSettings(false, needsTokens, demoData);
        }
        return new UiSettings(true, null, demoData);
    }
}
