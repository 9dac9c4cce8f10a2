package org.oddity.config;

import java.util.Locale;

/** What Kafka Streams guarantees about records processed around a failure. */
public enum ProcessingGuarantee {
    /** A record may be processed again after a failure: flags and counts may repeat, none is lost. */
    AT_LEAST_ONCE,
    /** Each record's outputs and state changes are committed exactly once, in Kafka transactions. */
    EXACTLY_ONCE_V2;

    /** How the setting spells it, e.g. {@code at_least_once}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
