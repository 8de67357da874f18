package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Masks {@code Subscription.channel.header} values in every answer of the FHIR API (read, vread, search,
 * history, the resource a create, update or transaction returns): {@code Authorization: ***}. The store
 * keeps the real values for HAPI's delivery, which reads the store, not this API ({@link ChannelHeaders}).
 *
 * <p>On the RestfulServer, first among the outgoing-response hooks, so that nothing after it (a
 * highlighter, an authorization check) writes the unmasked resource.
 */
@Interceptor(order = Integer.MIN_VALUE)
public final class ChannelHeaderMasking {

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = Integer.MIN_VALUE)
    public void outgoing(ResponseDetails response) {
        IBaseResource resource = response.getResponseResource();
        IBaseResource masked = ChannelHeaders.maskedForOutput(resource);
        if (masked != resource) {
            response.setResponseResource(masked);
        }
    }
}
