package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * {@code Subscription.channel.header} holds secrets an EHR gave for delivery ({@code Authorization: Bearer …}).
 * They are stored as given, because HAPI's delivery reads Subscriptions from the store, and never leave
 * through the FHIR API: {@link ChannelHeaderMasking} answers every header as {@code Name: ***}.
 *
 * <p>A client that reads a Subscription and sends it back (a PUT, a PATCH, a transaction entry) sends the
 * masked form; before storage each header in that form is replaced by the stored header of the same name
 * (case-insensitive, in order when a name repeats), so {@code ***} never overwrites a secret. A masked
 * header with no stored counterpart (a create, or a name the stored Subscription lacks) is refused with
 * 422 {@code subscription-header-masked}: delivered as is, it would send {@code ***} as the EHR's token.
 * Registered on HAPI JPA's interceptor service: it sees every write of a Subscription.
 */
@Interceptor
public final class ChannelHeaders {

    static final String HEADER_MASKED = "subscription-header-masked";

    /** What a header's value becomes on the way out. */
    static final String MASK = "***";

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        keepStoredValues(null, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource) {
        keepStoredValues(previous, resource);
    }

    /** {@code Authorization: Bearer x} becomes {@code Authorization: ***}; a header without a name, {@code ***}. */
    static String masked(String header) {
        int colon = header.indexOf(':');
        return colon < 0 ? MASK : header.substring(0, colon).trim() + ": " + MASK;
    }

    /** Whether a header is in the form {@link #masked} gives (its value is exactly {@value #MASK}). */
    static boolean isMasked(String header) {
        int colon = header.indexOf(':');
        return (colon < 0 ? header : header.substring(colon + 1)).trim().equals(MASK);
    }

    /**
     * The resource to answer instead of {@code resource}: the same object when it holds no header
     * (nearly always), else a copy with every header of every Subscription masked, in a Bundle's entries
     * (nested Bundles too) and among contained resources. A copy, never the object itself: a create's
     * answer is the object HAPI stored and may still hand to its subscription matching.
     */
    static IBaseResource maskedForOutput(IBaseResource resource) {
        if (!(resource instanceof Resource fhir)) {
            return resource;
        }
        List<StringType> headers = new ArrayList<>();
        collectHeaders(fhir, headers);
        if (headers.isEmpty()) {
            return resource;
        }
        Resource copy = fhir.copy();
        headers.clear();
        collectHeaders(copy, headers);
        headers.forEach(header -> header.setValue(masked(header.getValueNotNull())));
        return copy;
    }

    private static void collectHeaders(Resource resource, List<StringType> headers) {
        if (resource instanceof Subscription subscription && subscription.hasChannel()) {
            headers.addAll(subscription.getChannel().getHeader());
        }
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource()) {
                    collectHeaders(entry.getResource(), headers);
                }
            }
        }
        if (resource instanceof DomainResource domain) {
            domain.getContained().forEach(contained -> collectHeaders(contained, headers));
        }
    }

    /**
     * Replaces, in {@code incoming}, each masked header by the stored header of the same name; refuses
     * one that has none. {@code previous}: the stored version, null on a create.
     */
    static void keepStoredValues(IBaseResource previous, IBaseResource incoming) {
        if (!(incoming instanceof Subscription subscription) || !subscription.hasChannel()) {
            return;
        }
        List<String> stored = new ArrayList<>();
        if (previous instanceof Subscription before && before.hasChannel()) {
            before.getChannel().getHeader().forEach(header -> stored.add(header.getValue()));
        }
        List<StringType> headers = subscription.getChannel().getHeader();
        for (int i = 0; i < headers.size(); i++) {
            StringType header = headers.get(i);
            if (header.getValue() == null || !isMasked(header.getValue())) {
                continue;
            }
            String real = takeSameName(stored, name(header.getValue()));
            if (real == null) {
                // Neither the header nor its name is echoed: a name can be a secret too, put there by mistake.
                throw SubscriptionEndpointGuard.refused(
                        HEADER_MASKED,
                        "Subscription.channel.header[" + i + "] is a masked value (" + MASK
                                + ") and the stored Subscription has no header of that name to keep: send the real value",
                        "Subscription.channel.header[" + i + "]");
            }
            header.setValue(real);
        }
    }

    /** Removes and returns the first stored header named {@code name}; null if none. */
    private static String takeSameName(List<String> stored, String name) {
        for (int i = 0; i < stored.size(); i++) {
            String candidate = stored.get(i);
            if (candidate != null && name(candidate).equals(name)) {
                return stored.remove(i);
            }
        }
        return null;
    }

    private static String name(String header) {
        int colon = header.indexOf(':');
        return colon < 0 ? "" : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    }
}
