/**
 * Reusable statistical tests and intervals (Kolmogorov-Smirnov, exact binomial intervals), plain Java with
 * no Kafka, shared by evaluation and monitoring.
 */
package org.oddity.stats;
