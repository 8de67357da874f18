package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicConfig;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Subscription;
import org.rasguard.server.config.ServerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * FHIR R4 Subscriptions, HAPI JPA's own support (classic criteria Subscriptions, rest-hook channel only):
 * the submitter (a write is matched against active Subscriptions after commit), the processor (matching
 * and delivery, with HAPI's retries), the guard on which endpoints a Subscription may name
 * ({@link SubscriptionEndpointGuard}), the cap on their number ({@link SubscriptionLimit}) and the masking of
 * their channel headers ({@link ChannelHeaders}). Why classic and not the R5 Backport IG: README, Late results.
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
    public SubscriptionEndpointGuard subscriptionEndpointGuard(
            ServerConfig config, IInterceptorService jpaInterceptors) {
        // rest-hook only (FhirJpaConfig's SubscriptionSettings): HAPI refuses the other channel types, and our guard
        // says why.
        SubscriptionEndpointGuard guard =
                new SubscriptionEndpointGuard(config.lateResults().endpointAllowlist());
        jpaInterceptors.registerInterceptor(guard);
        return guard;
    }

    /** Beside the guard, on HAPI JPA's interceptor service: it sees every create and update of a Subscription. */
    @Bean
    public SubscriptionLimit subscriptionLimit(
            ServerConfig config, DaoRegistry daos, IInterceptorService jpaInterceptors) {
        SubscriptionLimit limit =
                new SubscriptionLimit(config.lateResults().maxSubscriptions(), () -> countedSubscriptionIds(daos));
        jpaInterceptors.registerInterceptor(limit);
        return limit;
    }

    /** Writes of types no Subscription names skip HAPI's subscription pipeline (a persisted message each). */
    @Bean
    public SubscribedTypesOnly subscribedTypesOnly(SubscriptionRegistry registry, IInterceptorService jpaInterceptors) {
        SubscribedTypesOnly filter = new SubscribedTypesOnly(() ->
                registry.getAll().stream().map(ActiveSubscription::getCriteria).toList());
        jpaInterceptors.registerInterceptor(filter);
        return filter;
    }

    /**
     * Keeps stored header values when a client sends back the masked ones (JPA), masks every answer and
     * refuses patches of Subscriptions (REST).
     */
    @Bean
    public ChannelHeaders channelHeaders(IInterceptorService jpaInterceptors, RestfulServer fhirServer) {
        ChannelHeaders headers = new ChannelHeaders();
        jpaInterceptors.registerInterceptor(headers);
        fhirServer.registerInterceptor(new ChannelHeaderMasking());
        fhirServer.registerInterceptor(new SubscriptionPatchGuard());
        return headers;
    }

    /** Ids of the stored Subscriptions HAPI delivers for: status requested or active (as HAPI's SubscriptionLoader). */
    private static Set<String> countedSubscriptionIds(DaoRegistry daos) {
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(
                        Subscription.SP_STATUS,
                        new TokenOrListParam()
                                .addOr(new TokenParam(Subscription.SubscriptionStatus.REQUESTED.toCode()))
                                .addOr(new TokenParam(Subscription.SubscriptionStatus.ACTIVE.toCode())));
        return daos.getResourceDao(Subscription.class).searchForResourceIds(query, new SystemRequestDetails()).stream()
                .map(id -> id.getIdPart())
                .collect(Collectors.toSet());
    }
}
