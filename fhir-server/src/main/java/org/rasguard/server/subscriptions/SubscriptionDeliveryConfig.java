package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicConfig;
import org.rasguard.server.config.ServerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * FHIR R4 Subscriptions, HAPI JPA's own support (classic criteria Subscriptions, rest-hook channel only):
 * the submitter (a write is matched against active Subscriptions after commit), the processor (matching
 * and delivery, with HAPI's retries) and the guard on which endpoints a Subscription may name
 * ({@link SubscriptionEndpointGuard}). Why classic and not the R5 Backport IG: README, Late results.
 */
@Configuration
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class, SubscriptionTopicConfig.class})
public class SubscriptionDeliveryConfig {

    /**
     * HAPI's processor wants an e-mail sender; this server never sends mail (the guard refuses email
     * Subscriptions), so one that refuses.
     */
    @Bean
    public IEmailSender emailSender() {
        return details -> {
            throw new UnsupportedOperationException("RAS Guard delivers rest-hook Subscriptions only");
        };
    }

    /** Registered on HAPI JPA's interceptor service: it sees every write of a Subscription. */
    @Bean
    public SubscriptionEndpointGuard subscriptionEndpointGuard(ServerConfig config, IInterceptorService jpaInterceptors) {
        // rest-hook only (FhirJpaConfig's SubscriptionSettings): HAPI refuses the other channel types, and our guard says why.
        SubscriptionEndpointGuard guard = new SubscriptionEndpointGuard(config.lateResults().endpointAllowlist());
        jpaInterceptors.registerInterceptor(guard);
        return guard;
    }
}
