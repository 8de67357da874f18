package org.rasguard.hooks;

import java.util.List;

/** Keeps CDS Hooks feedback durably (the server stores each item as an AuditEvent). */
public interface FeedbackStore {

    /** Stores every item or none; returns the ids the store gave them. */
    List<String> save(List<FeedbackItem> items);
}
