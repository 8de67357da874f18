package org.rasguard.patients;

import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;

/**
 * Whether two Patient records are the same person, by the identifiers that identify a person (an MRN,
 * a national id): never by a bare resource id, which is only unique on one server. A record is matched
 * when it shares a person identifier (system and value) with the other and disagrees on none; two
 * values in one system, in either record, make the pair ambiguous, and ambiguity is never a match.
 *
 * <p>Which systems identify a person is the operator's choice ({@code RASGUARD_PATIENT_IDENTIFIER_SYSTEMS});
 * with none chosen, every identifier with a system and a value does, except those marked {@code old}
 * (FHIR R4 Identifier.use: retired, and may have been given to someone else) and those whose
 * {@code period} (R4 Identifier.period: "time period when id is/was valid for use") has ended or not
 * yet begun: a retired MRN may be reissued, so it proves nothing about who this is now.
 *
 * @see <a href="https://hl7.org/fhir/R4/patient.html#links">FHIR R4 Patient: linking records of one person</a>
 */
public final class PersonIdentity {

    /** How one record relates to another. */
    public enum Match {
        /** They share a person identifier and disagree on none. */
        SAME_PERSON,
        /** They share none. */
        UNRELATED,
        /** They share one but hold different values in a system: two people, or a record merged in error. */
        CONFLICT,
        /** One of them holds two values in one system, so no identifier of that system proves anything. */
        AMBIGUOUS
    }

    private final Set<String> systems;
    private final Clock clock;

    /** @param systems the identifier systems that identify a person; empty: every system */
    public PersonIdentity(Set<String> systems) {
        this(systems, Clock.systemUTC());
    }

    /** @param clock what "now" is when an identifier's validity period is checked */
    public PersonIdentity(Set<String> systems, Clock clock) {
        this.systems = Set.copyOf(systems);
        this.clock = clock;
    }

    public static PersonIdentity anySystem() {
        return new PersonIdentity(Set.of());
    }

    /** The record's person identifiers, system to values, in order. */
    public Map<String, Set<String>> identifiers(Patient patient) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (patient == null) {
            return out;
        }
        for (Identifier identifier : patient.getIdentifier()) {
            if (identifier.hasSystem()
                    && identifier.hasValue()
                    && identifier.getUse() != Identifier.IdentifierUse.OLD
                    && validNow(identifier)
                    && (systems.isEmpty() || systems.contains(identifier.getSystem()))) {
                out.computeIfAbsent(identifier.getSystem(), system -> new LinkedHashSet<>())
                        .add(identifier.getValue());
            }
        }
        return out;
    }

    /** False when the identifier's period has ended or starts later; a period with neither bound says nothing. */
    private boolean validNow(Identifier identifier) {
        if (!identifier.hasPeriod()) {
            return true;
        }
        Date now = Date.from(clock.instant());
        Period period = identifier.getPeriod();
        return !(period.hasEnd() && period.getEnd().before(now))
                && !(period.hasStart() && period.getStart().after(now));
    }

    /** The person identifiers worth searching for: one value per system (a system with two values proves nothing). */
    public List<Map.Entry<String, String>> searchable(Patient patient) {
        return identifiers(patient).entrySet().stream()
                .filter(entry -> entry.getValue().size() == 1)
                .map(entry ->
                        Map.entry(entry.getKey(), entry.getValue().iterator().next()))
                .toList();
    }

    /**
     * {@link #searchable} as {@code system|value} keys: how the audit trail names a person's identifiers
     * (and a FHIR token search writes them); {@link #splitKey} reads one back.
     */
    public List<String> searchableKeys(Patient patient) {
        return searchable(patient).stream()
                .map(identifier -> identifier.getKey() + "|" + identifier.getValue())
                .toList();
    }

    /** A {@code system|value} key as system and value (split at the first bar: a system holds none). */
    public static Map.Entry<String, String> splitKey(String key) {
        int bar = key.indexOf('|');
        return Map.entry(key.substring(0, bar), key.substring(bar + 1));
    }

    /** True when a system holds two values in this record. */
    public boolean hasAmbiguousIdentifiers(Patient patient) {
        return identifiers(patient).values().stream().anyMatch(values -> values.size() > 1);
    }

    public Match match(Patient one, Patient other) {
        Map<String, Set<String>> a = identifiers(one);
        Map<String, Set<String>> b = identifiers(other);
        boolean shared = false;
        for (Map.Entry<String, Set<String>> entry : a.entrySet()) {
            Set<String> theirs = b.get(entry.getKey());
            if (theirs == null) {
                continue;
            }
            if (entry.getValue().size() > 1 || theirs.size() > 1) {
                return Match.AMBIGUOUS;
            }
            if (!entry.getValue().equals(theirs)) {
                return Match.CONFLICT;
            }
            shared = true;
        }
        return shared ? Match.SAME_PERSON : Match.UNRELATED;
    }
}
