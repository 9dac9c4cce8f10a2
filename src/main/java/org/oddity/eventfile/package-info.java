/**
 * Event files read and written: Avro container files, and CSV and HDF5 tables turned into events
 * through a column mapping, with bad rows counted or refused. No Kafka: {@code replay}, {@code train},
 * {@code calibrate} and {@code evaluate} read files through it.
 */
package org.oddity.eventfile;
