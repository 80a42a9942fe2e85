package io.latentflow.schemas;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over one byte array that checks every length and block count against the bytes that are left
 * before allocating anything, so a corrupt length can never allocate a huge array. Strings must be valid UTF-8 (the
 * Avro spec says they are): Avro's own decoders would silently turn invalid bytes into U+FFFD, which would put
 * replacement characters into prompts; here they are an error naming the byte. Failures are {@link EOFException}
 * (the data ends early) or {@link IOException} (an invalid encoding), with the byte offset.
 * Not thread-safe; one instance per payload.
 */
final class BoundedBinaryDecoder extends Decoder {

  /**
   * Items of an array may encode to zero bytes (null, empty records), so array item counts cannot be bounded by the
   * bytes alone; this is the allowance beyond them, for all the arrays of one payload together. Per block it would not
   * be enough: many small blocks that each claim this many nulls would add up to billions of items (e.g.
   * a 30 KB payload decoded into 200 million nulls: ConfluentAvroFuzzTest input array_of_nulls_blocks).
   */
  static final int ZERO_BYTE_ITEM_ALLOWANCE = 10_000;

  private final byte[] buf;
  private final int base;
  private final int limit;
  private int pos;
  /** Array items the rest of the payload may still claim: its bytes plus the zero-byte allowance, less those claimed. */
  private long arrayItemsLeft;

  /**
   * @param base offset that error messages count from (so offsets name the byte in the whole payload)
   */
  BoundedBinaryDecoder(byte[] buf, int offset, int length, int base) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
    this.base = base;
    this.arrayItemsLeft = (long) length + ZERO_BYTE_ITEM_ALLOWANCE;
  }

  int remaining() {
    return limit - pos;
  }

  /** Offset of the next byte, counted in the whole payload. */
  int position() {
    return pos - base;
  }

  private void need(long n, String what) throws EOFException {
    if (n > remaining()) {
      throw new EOFException(what + " at byte " + position() + " needs " + n + " more byte" + (n == 1 ? "" : "s")
          + " but " + (remaining() == 0 ? "none are" : "only " + remaining() + (remaining() == 1 ? " is" : " are"))
          + " left");
    }
  }

  @Override
  public void readNull() {
  }

  @Override
  public boolean readBoolean() throws IOException {
    need(1, "boolean");
    int b = buf[pos];
    if (b != 0 && b != 1) {
      throw new IOException("invalid boolean byte " + b + " at byte " + position());
    }
    pos++;
    return b == 1;
  }

  @Override
  public int readInt() throws IOException {
    int start = position();
    long v = readVarLong(5, "int");
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IOException("int at byte " + start + " is out of range: " + v);
    }
    return (int) v;
  }

  @Override
  public long readLong() throws IOException {
    return readVarLong(10, "long");
  }

  private long readVarLong(int maxBytes, String what) throws IOException {
    int start = position();
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      need(1, what);
      int b = buf[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("invalid " + what + " varint at byte " + start + ": longer than " + maxBytes + " bytes");
  }

  @Override
  public float readFloat() throws IOException {
    need(4, "float");
    int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
        | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  @Override
  public double readDouble() throws IOException {
    need(8, "double");
    long bits = 0;
    for (int i = 7; i >= 0; i--) {
      bits = bits << 8 | (buf[pos + i] & 0xff);
    }
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  private int readLength(String what) throws IOException {
    int start = position();
    long n = readLong();
    if (n < 0) {
      throw new IOException(what + " at byte " + start + " has a negative length " + n);
    }
    if (n > remaining()) {
      throw new EOFException(what + " at byte " + start + " has length " + n + " but only " + remaining()
          + " bytes are left");
    }
    return (int) n;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int n = readLength("string");
    checkUtf8(n);
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(n);
    System.arraycopy(buf, pos, result.getBytes(), 0, n);
    pos += n;
    return result;
  }

  @Override
  public String readString() throws IOException {
    int n = readLength("string");
    checkUtf8(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Fails unless the next n bytes are well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
  private void checkUtf8(int n) throws IOException {
    int bad = firstInvalidUtf8(buf, pos, n);
    if (bad >= 0) {
      throw new IOException("string of " + n + " bytes at byte " + position() + " is not valid UTF-8: byte "
          + String.format("0x%02x", buf[pos + bad] & 0xff) + " at byte " + (position() + bad));
    }
  }

  /** Index (from off) of the first byte of an invalid UTF-8 sequence in b[off, off+len), or -1 when all is valid. */
  static int firstInvalidUtf8(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        return i - off; // a continuation byte, an overlong lead (0xc0, 0xc1) or past U+10FFFF (0xf5..)
      }
      if (i + n >= end) {
        return i - off; // the sequence runs past the string
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cont = b[i + k] & 0xff;
        if ((cont & 0xc0) != 0x80) {
          return i - off;
        }
        cp = cp << 6 | (cont & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i - off;
      }
      i += n + 1;
    }
    return -1;
  }

  @Override
  public void skipString() throws IOException {
    pos += readLength("string");
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int n = readLength("bytes");
    ByteBuffer result = ByteBuffer.wrap(Arrays.copyOfRange(buf, pos, pos + n));
    pos += n;
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    pos += readLength("bytes");
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    need(length, "fixed");
    System.arraycopy(buf, pos, bytes, start, length);
    pos += length;
  }

  @Override
  public void skipFixed(int length) throws IOException {
    need(length, "fixed");
    pos += length;
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  @Override
  public int readIndex() throws IOException {
    int start = position();
    int i = readInt();
    if (i < 0) {
      throw new IOException("negative union index " + i + " at byte " + start);
    }
    return i;
  }

  /** Reads one block header: the item count (0 at the end), checked against the bytes left. */
  private long readBlockCount(String what, boolean itemsHaveBytes) throws IOException {
    int start = position();
    long count = readLong();
    if (count < 0) {
      if (count == Long.MIN_VALUE) {
        throw new IOException(what + " block at byte " + start + " has an invalid item count " + count);
      }
      count = -count;
      long size = readLong();
      if (size < 0) {
        throw new IOException(what + " block at byte " + start + " has a negative byte size " + size);
      }
      need(size, what + " block");
    }
    if (itemsHaveBytes ? count > remaining() : count > Math.min(arrayItemsLeft, remaining() + ZERO_BYTE_ITEM_ALLOWANCE)) {
      throw new EOFException(what + " block at byte " + start + " claims " + count + " items but only "
          + remaining() + " bytes are left" + (itemsHaveBytes ? "" : " (and at most " + arrayItemsLeft
          + " more array items fit in this payload)"));
    }
    if (!itemsHaveBytes) {
      arrayItemsLeft -= count;
    }
    return count;
  }

  @Override
  public long readArrayStart() throws IOException {
    return readBlockCount("array", false);
  }

  @Override
  public long arrayNext() throws IOException {
    return readBlockCount("array", false);
  }

  @Override
  public long readMapStart() throws IOException {
    return readBlockCount("map", true);
  }

  @Override
  public long mapNext() throws IOException {
    return readBlockCount("map", true);
  }

  @Override
  public long skipArray() throws IOException {
    return skipBlocks("array", false);
  }

  @Override
  public long skipMap() throws IOException {
    return skipBlocks("map", true);
  }

  /** Skips blocks that carry their byte size; returns the count of the first block that does not (0 at the end). */
  private long skipBlocks(String what, boolean itemsHaveBytes) throws IOException {
    while (true) {
      int start = pos;
      long count = readLong();
      if (count >= 0) {
        pos = start;
        return readBlockCount(what, itemsHaveBytes);
      }
      pos = start;
      readBlockCount(what, itemsHaveBytes); // validates count and size
      pos = start;
      readLong();
      long size = readLong();
      pos += (int) size;
    }
  }
}
