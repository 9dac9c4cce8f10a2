/**
 * The scoring path shared by streaming, evaluation, calibration and the benchmarks: the model an
 * instance runs now (hot swap) and the per-cell counts of what it scored. No Kafka.
 */
package org.oddity.pipeline;
