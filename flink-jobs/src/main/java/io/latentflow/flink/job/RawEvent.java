package io.latentflow.flink.job;

/** A Kafka record as it arrived, undecoded, with its coordinates (Flink POJO). */
public class RawEvent {
    public String topic;
    public int partition;
    public long offset;
    /** Record timestamp, epoch millis. */
    public long timestamp;
    public byte[] key;
    public byte[] value;

    public RawEvent() {
    }

    public RawEvent(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
