package org.rasguard.server.config;

import static org.rasguard.server.config.Env.intValue;
import static org.rasguard.server.config.Env.list;

import java.util.List;
import java.util.function.Function;
import org.rasguard.cdshooks.FhirServerAllowlist;

/**
 * The settings of late results and their delivery, read with the rest of
 * {@link org.rasguard.server.config.ServerConfig}.
 *
 * @param days how far back an anti-EGFR decision is checked against a new result ({@code RASGUARD_LATE_RESULT_DAYS},
 *     default {@value #DEFAULT_DAYS})
 * @param subscriptionEndpoints URL prefixes a Subscription's rest-hook endpoint must lie under
 *     ({@code RASGUARD_SUBSCRIPTION_ENDPOINTS}; https unless written {@code http://}); empty: every
 *     Subscription is refused (fail closed)
 * @param maxSubscriptions how many stored Subscriptions HAPI would deliver for (status requested or active)
 *     the store holds at most ({@code RASGUARD_MAX_SUBSCRIPTIONS}, default {@value #DEFAULT_MAX_SUBSCRIPTIONS}):
 *     HAPI keeps two delivery threads per active Subscription, so an unbounded count is unbounded threads
 */
public record LateResultSettings(int days, List<String> subscriptionEndpoints, int maxSubscriptions) {

    public static final int DEFAULT_DAYS = 180;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 50;

    /** The variables read here, in README order. */
    public static final List<String> VARIABLES =
            List.of("RASGUARD_LATE_RESULT_DAYS", "RASGUARD_SUBSCRIPTION_ENDPOINTS", "RASGUARD_MAX_SUBSCRIPTIONS");

    public LateResultSettings {
        subscriptionEndpoints = List.copyOf(subscriptionEndpoints);
    }

    /** The allowlist of Subscription endpoints (validated when read). */
    public FhirServerAllowlist endpointAllowlist() {
        return FhirServerAllowlist.of(subscriptionEndpoints);
    }

    /** Reads and checks the settings; adds every problem found to {@code problems}. */
    public static LateResultSettings from(Function<String, String> env, List<String> problems) {
        int days = intValue(env, "RASGUARD_LATE_RESULT_DAYS", DEFAULT_DAYS, 1, 3650, problems);
        List<String> endpoints = list(env, "RASGUARD_SUBSCRIPTION_ENDPOINTS");
        try {
            FhirServerAllowlist.of(endpoints);
        } catch (IllegalArgumentException e) {
            problems.add("RASGUARD_SUBSCRIPTION_ENDPOINTS: " + e.getMessage());
        }
        // 0: no Subscription at all; 1000: 2000 delivery threads, already more than one process should hold.
        int maxSubscriptions =
                intValue(env, "RASGUARD_MAX_SUBSCRIPTIONS", DEFAULT_MAX_SUBSCRIPTIONS, 0, 1000, problems);
        return new LateResultSettings(days, endpoints, maxSubscriptions);
    }
}
