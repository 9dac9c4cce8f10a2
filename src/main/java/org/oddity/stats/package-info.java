/**
 * Reusable statistical tests and intervals (Kolmogorov-Smirnov, exact binomial intervals), plain Java with
 * no Kafka, used by evaluation.
 */
package org.oddity.stats;
