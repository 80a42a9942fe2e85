package io.latentflow.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Row reads of a weight (the embedding lookup): the bulk paths against element access. */
class WeightRowsTest {

    /** A (rows, cols) weight of random values behind a buffer that starts 6 bytes into its backing. */
    private static Weight random(DType dtype, int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        ByteBuffer backing = ByteBuffer.allocateDirect(6 + rows * cols * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer bb = backing.position(6).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * cols; i++) {
            switch (dtype) {
                case F32 -> bb.putFloat(i * 4, (float) rnd.nextGaussian());
                case BF16 -> bb.putShort(i * 2, (short) (Float.floatToRawIntBits((float) rnd.nextGaussian()) >>> 16));
                case F16 -> bb.putShort(i * 2, (short) (rnd.nextInt(0x7800) | (rnd.nextBoolean() ? 0x8000 : 0)));
                default -> throw new AssertionError(dtype);
            }
        }
        return new Weight("w", dtype, rows, cols, bb, null);
    }

    @Test
    void stackedRowsAreTheFirstWeightsRowsThenTheSeconds() {
        for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
            Weight a = random(dtype, 5, 19, 11);
            Weight b = random(dtype, 3, 19, 12);
            Weight ab = Weight.stackRows("ab", a, b);
            assertEquals(8, ab.rows);
            assertEquals(19, ab.cols);
            for (int c = 0; c < 19; c++) {
                for (int r = 0; r < 5; r++) {
                    assertEquals(a.get(r, c), ab.get(r, c), dtype + " a (" + r + ", " + c + ")");
                }
                for (int r = 0; r < 3; r++) {
                    assertEquals(b.get(r, c), ab.get(5 + r, c), dtype + " b (" + r + ", " + c + ")");
                }
            }
        }
        Weight f32 = random(DType.F32, 2, 19, 13);
        Weight bf16 = random(DType.BF16, 2, 19, 14);
        Weight narrow = random(DType.F32, 2, 18, 15);
        assertThrows(IllegalArgumentException.class, () -> Weight.stackRows("x", f32, bf16));
        assertThrows(IllegalArgumentException.class, () -> Weight.stackRows("x", f32, narrow));
    }

    @Test
    void readRowMatchesElementAccessForEveryDtype() {
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            Weight w = random(dtype, 7, 37, dtype.ordinal());
            for (int r = 0; r < w.rows; r++) {
                float[] row = new float[w.cols + 3];
                w.readRow(r, row, 3); // at an offset: the bulk copy must land there
                for (int c = 0; c < w.cols; c++) {
                    assertEquals(Float.floatToRawIntBits(w.get(r, c)), Float.floatToRawIntBits(row[3 + c]),
                            dtype + " (" + r + ", " + c + ")");
                }
            }
        }
    }

    @Test
    void rowViewsReadTheirOwnRows() {
        Weight w = random(DType.BF16, 9, 16, 3);
        Weight view = w.rows(4, 3);
        float[] a = new float[16];
        float[] b = new float[16];
        view.readRow(1, a, 0);
        w.readRow(5, b, 0);
        for (int c = 0; c < 16; c++) {
            assertEquals(b[c], a[c], "column " + c);
        }
    }

    @Test
    void inMemoryCopyHoldsTheSameValuesAndOutlivesChangesToTheSource() {
        Weight w = random(DType.BF16, 5, 24, 11);
        Weight copy = w.inMemory();
        float before = w.get(2, 3);
        w.bytes().putShort((2 * 24 + 3) * 2, (short) 0x3F80); // 1.0 in the source only
        assertEquals(1f, w.get(2, 3));
        assertEquals(before, copy.get(2, 3));
        assertEquals(w.rows, copy.rows);
        assertEquals(w.cols, copy.cols);
        assertEquals(w.dtype, copy.dtype);
        float[] row = new float[24];
        copy.readRow(4, row, 0);
        for (int c = 0; c < 24; c++) {
            assertEquals(w.get(4, c), row[c], "column " + c);
        }
    }
}
