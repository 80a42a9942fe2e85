package io.latentflow.flink.job;

import java.io.Serializable;
import org.apache.avro.generic.GenericRecord;

/** Decodes a record value to Avro; created on the task manager, so implementations are serializable. */
public interface RecordDecoder extends Serializable {

    /** The value of a record of {@code topic}, or an exception naming what is wrong with it. */
    GenericRecord decode(String topic, byte[] value) throws Exception;
}
