package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 12-row tiles of {@link StagedPanels}, for BF16 panels and ({@link #f32x12}) float32 ones: 24
 * accumulators, the (split) panel vectors of two k steps and a broadcast fill 29 of the 32 vector
 * registers. Per k it spends the same load and the same two
 * integer ops that split the BF16 pair as the 8-row tile, on 24 multiply-adds instead of 16 (those
 * two ops share ports 0 and 5 with the FMAs). Through {@code Ops.matmul}, same minutes, 12-row
 * against 8-row tiles: the lm_head (32000×1024) at 32 rows 232 against 219 GFLOP/s, at 128 rows 257
 * against 238; 1024×2816 at 128 rows 239 against 207; smaller matrices within ±2%. In the engine a
 * batch-128 decode step took 246 against 278 ms; batch 32 did not change.
 * Written out like the other kernels (see {@link PanelGemm}): one straight-line method per tile.
 */
final class StagedWideTiles {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final VectorSpecies<Integer> I = PanelGemm.I;
    private static final int FL = PanelGemm.FL;
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private StagedWideTiles() {
    }

    /**
     * 12 token rows × one panel staged at s[0..) (BF16 pairs as int lanes, FL ints per k), x tile at xo
     * (12 values per k); sums into t, row i at t[i·NB]. Two k steps an iteration, as
     * {@link StagedPanels#bf16x8}.
     */
    static void bf16x12(int[] s, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), b00 = a00;
        FloatVector a01 = FloatVector.zero(F), b01 = a01;
        FloatVector a02 = FloatVector.zero(F), b02 = a02;
        FloatVector a03 = FloatVector.zero(F), b03 = a03;
        FloatVector a04 = FloatVector.zero(F), b04 = a04;
        FloatVector a05 = FloatVector.zero(F), b05 = a05;
        FloatVector a06 = FloatVector.zero(F), b06 = a06;
        FloatVector a07 = FloatVector.zero(F), b07 = a07;
        FloatVector a08 = FloatVector.zero(F), b08 = a08;
        FloatVector a09 = FloatVector.zero(F), b09 = a09;
        FloatVector a10 = FloatVector.zero(F), b10 = a10;
        FloatVector a11 = FloatVector.zero(F), b11 = a11;
        FloatVector w;
        int k = 0;
        int xk = xo;
        // both k steps' panel vectors loaded and split first: with the second step's load after the
        // first step's multiply-adds, C2's code for this tile ran at half the speed (116 against 212
        // GFLOP/s for the 8-row tile in a harness)
        for (; k + 1 < kc; k += 2, xk += 24) {
            IntVector v = IntVector.fromArray(I, s, k * FL);
            FloatVector lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi = v.and(HIGH).reinterpretAsFloats();
            IntVector v2 = IntVector.fromArray(I, s, k * FL + FL);
            FloatVector lo2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi2 = v2.and(HIGH).reinterpretAsFloats();
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(w, a00);
            b00 = hi.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a01 = lo.fma(w, a01);
            b01 = hi.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a02 = lo.fma(w, a02);
            b02 = hi.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 3]);
            a03 = lo.fma(w, a03);
            b03 = hi.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 4]);
            a04 = lo.fma(w, a04);
            b04 = hi.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 5]);
            a05 = lo.fma(w, a05);
            b05 = hi.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 6]);
            a06 = lo.fma(w, a06);
            b06 = hi.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 7]);
            a07 = lo.fma(w, a07);
            b07 = hi.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 8]);
            a08 = lo.fma(w, a08);
            b08 = hi.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 9]);
            a09 = lo.fma(w, a09);
            b09 = hi.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 10]);
            a10 = lo.fma(w, a10);
            b10 = hi.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 11]);
            a11 = lo.fma(w, a11);
            b11 = hi.fma(w, b11);
            w = FloatVector.broadcast(F, x[xk + 12 + 0]);
            a00 = lo2.fma(w, a00);
            b00 = hi2.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 12 + 1]);
            a01 = lo2.fma(w, a01);
            b01 = hi2.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 12 + 2]);
            a02 = lo2.fma(w, a02);
            b02 = hi2.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 12 + 3]);
            a03 = lo2.fma(w, a03);
            b03 = hi2.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 12 + 4]);
            a04 = lo2.fma(w, a04);
            b04 = hi2.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 12 + 5]);
            a05 = lo2.fma(w, a05);
            b05 = hi2.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 12 + 6]);
            a06 = lo2.fma(w, a06);
            b06 = hi2.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 12 + 7]);
            a07 = lo2.fma(w, a07);
            b07 = hi2.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 12 + 8]);
            a08 = lo2.fma(w, a08);
            b08 = hi2.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 12 + 9]);
            a09 = lo2.fma(w, a09);
            b09 = hi2.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 12 + 10]);
            a10 = lo2.fma(w, a10);
            b10 = hi2.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 12 + 11]);
            a11 = lo2.fma(w, a11);
            b11 = hi2.fma(w, b11);
        }
        for (; k < kc; k++, xk += 12) {
            IntVector v = IntVector.fromArray(I, s, k * FL);
            FloatVector lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi = v.and(HIGH).reinterpretAsFloats();
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(w, a00);
            b00 = hi.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a01 = lo.fma(w, a01);
            b01 = hi.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a02 = lo.fma(w, a02);
            b02 = hi.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 3]);
            a03 = lo.fma(w, a03);
            b03 = hi.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 4]);
            a04 = lo.fma(w, a04);
            b04 = hi.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 5]);
            a05 = lo.fma(w, a05);
            b05 = hi.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 6]);
            a06 = lo.fma(w, a06);
            b06 = hi.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 7]);
            a07 = lo.fma(w, a07);
            b07 = hi.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 8]);
            a08 = lo.fma(w, a08);
            b08 = hi.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 9]);
            a09 = lo.fma(w, a09);
            b09 = hi.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 10]);
            a10 = lo.fma(w, a10);
            b10 = hi.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 11]);
            a11 = lo.fma(w, a11);
            b11 = hi.fma(w, b11);
        }
        a00.intoArray(t, 0 * FL);
        b00.intoArray(t, 1 * FL);
        a01.intoArray(t, 2 * FL);
        b01.intoArray(t, 3 * FL);
        a02.intoArray(t, 4 * FL);
        b02.intoArray(t, 5 * FL);
        a03.intoArray(t, 6 * FL);
        b03.intoArray(t, 7 * FL);
        a04.intoArray(t, 8 * FL);
        b04.intoArray(t, 9 * FL);
        a05.intoArray(t, 10 * FL);
        b05.intoArray(t, 11 * FL);
        a06.intoArray(t, 12 * FL);
        b06.intoArray(t, 13 * FL);
        a07.intoArray(t, 14 * FL);
        b07.intoArray(t, 15 * FL);
        a08.intoArray(t, 16 * FL);
        b08.intoArray(t, 17 * FL);
        a09.intoArray(t, 18 * FL);
        b09.intoArray(t, 19 * FL);
        a10.intoArray(t, 20 * FL);
        b10.intoArray(t, 21 * FL);
        a11.intoArray(t, 22 * FL);
        b11.intoArray(t, 23 * FL);
    }

    /**
     * 12 token rows × one float32 panel staged at s[0..) (2·FL ints per k, as {@link StagedPanels#f32x8}),
     * x tile at xo (12 values per k); sums into t, row i at t[i·NB]. Two k steps an iteration, both
     * steps' panel vectors loaded first, as {@link #bf16x12}: 24 sums, 4 panel vectors and a broadcast
     * in 29 of the 32 vector registers, 14 loads per 24 multiply-adds (the 8-row tile: 10 per 16).
     */
    static void f32x12(int[] s, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), b00 = a00;
        FloatVector a01 = FloatVector.zero(F), b01 = a01;
        FloatVector a02 = FloatVector.zero(F), b02 = a02;
        FloatVector a03 = FloatVector.zero(F), b03 = a03;
        FloatVector a04 = FloatVector.zero(F), b04 = a04;
        FloatVector a05 = FloatVector.zero(F), b05 = a05;
        FloatVector a06 = FloatVector.zero(F), b06 = a06;
        FloatVector a07 = FloatVector.zero(F), b07 = a07;
        FloatVector a08 = FloatVector.zero(F), b08 = a08;
        FloatVector a09 = FloatVector.zero(F), b09 = a09;
        FloatVector a10 = FloatVector.zero(F), b10 = a10;
        FloatVector a11 = FloatVector.zero(F), b11 = a11;
        FloatVector w;
        int k = 0;
        int xk = xo;
        for (; k + 1 < kc; k += 2, xk += 24) {
            FloatVector lo = IntVector.fromArray(I, s, 2 * k * FL).reinterpretAsFloats();
            FloatVector hi = IntVector.fromArray(I, s, 2 * k * FL + FL).reinterpretAsFloats();
            FloatVector lo2 = IntVector.fromArray(I, s, 2 * k * FL + 2 * FL).reinterpretAsFloats();
            FloatVector hi2 = IntVector.fromArray(I, s, 2 * k * FL + 3 * FL).reinterpretAsFloats();
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(w, a00);
            b00 = hi.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a01 = lo.fma(w, a01);
            b01 = hi.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a02 = lo.fma(w, a02);
            b02 = hi.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 3]);
            a03 = lo.fma(w, a03);
            b03 = hi.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 4]);
            a04 = lo.fma(w, a04);
            b04 = hi.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 5]);
            a05 = lo.fma(w, a05);
            b05 = hi.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 6]);
            a06 = lo.fma(w, a06);
            b06 = hi.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 7]);
            a07 = lo.fma(w, a07);
            b07 = hi.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 8]);
            a08 = lo.fma(w, a08);
            b08 = hi.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 9]);
            a09 = lo.fma(w, a09);
            b09 = hi.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 10]);
            a10 = lo.fma(w, a10);
            b10 = hi.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 11]);
            a11 = lo.fma(w, a11);
            b11 = hi.fma(w, b11);
            w = FloatVector.broadcast(F, x[xk + 12 + 0]);
            a00 = lo2.fma(w, a00);
            b00 = hi2.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 12 + 1]);
            a01 = lo2.fma(w, a01);
            b01 = hi2.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 12 + 2]);
            a02 = lo2.fma(w, a02);
            b02 = hi2.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 12 + 3]);
            a03 = lo2.fma(w, a03);
            b03 = hi2.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 12 + 4]);
            a04 = lo2.fma(w, a04);
            b04 = hi2.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 12 + 5]);
            a05 = lo2.fma(w, a05);
            b05 = hi2.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 12 + 6]);
            a06 = lo2.fma(w, a06);
            b06 = hi2.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 12 + 7]);
            a07 = lo2.fma(w, a07);
            b07 = hi2.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 12 + 8]);
            a08 = lo2.fma(w, a08);
            b08 = hi2.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 12 + 9]);
            a09 = lo2.fma(w, a09);
            b09 = hi2.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 12 + 10]);
            a10 = lo2.fma(w, a10);
            b10 = hi2.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 12 + 11]);
            a11 = lo2.fma(w, a11);
            b11 = hi2.fma(w, b11);
        }
        for (; k < kc; k++, xk += 12) {
            FloatVector lo = IntVector.fromArray(I, s, 2 * k * FL).reinterpretAsFloats();
            FloatVector hi = IntVector.fromArray(I, s, 2 * k * FL + FL).reinterpretAsFloats();
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(w, a00);
            b00 = hi.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a01 = lo.fma(w, a01);
            b01 = hi.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a02 = lo.fma(w, a02);
            b02 = hi.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 3]);
            a03 = lo.fma(w, a03);
            b03 = hi.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 4]);
            a04 = lo.fma(w, a04);
            b04 = hi.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 5]);
            a05 = lo.fma(w, a05);
            b05 = hi.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 6]);
            a06 = lo.fma(w, a06);
            b06 = hi.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 7]);
            a07 = lo.fma(w, a07);
            b07 = hi.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 8]);
            a08 = lo.fma(w, a08);
            b08 = hi.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 9]);
            a09 = lo.fma(w, a09);
            b09 = hi.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 10]);
            a10 = lo.fma(w, a10);
            b10 = hi.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 11]);
            a11 = lo.fma(w, a11);
            b11 = hi.fma(w, b11);
        }
        a00.intoArray(t, 0 * FL);
        b00.intoArray(t, 1 * FL);
        a01.intoArray(t, 2 * FL);
        b01.intoArray(t, 3 * FL);
        a02.intoArray(t, 4 * FL);
        b02.intoArray(t, 5 * FL);
        a03.intoArray(t, 6 * FL);
        b03.intoArray(t, 7 * FL);
        a04.intoArray(t, 8 * FL);
        b04.intoArray(t, 9 * FL);
        a05.intoArray(t, 10 * FL);
        b05.intoArray(t, 11 * FL);
        a06.intoArray(t, 12 * FL);
        b06.intoArray(t, 13 * FL);
        a07.intoArray(t, 14 * FL);
        b07.intoArray(t, 15 * FL);
        a08.intoArray(t, 16 * FL);
        b08.intoArray(t, 17 * FL);
        a09.intoArray(t, 18 * FL);
        b09.intoArray(t, 19 * FL);
        a10.intoArray(t, 20 * FL);
        b10.intoArray(t, 21 * FL);
        a11.intoArray(t, 22 * FL);
        b11.intoArray(t, 23 * FL);
    }

    /**
     * {@link #bf16x12} reading the panel at byte po of p from memory and storing each step into the stage
     * s: the first tile of a staged panel, its k range in four interleaved streams (its quarters), as
     * {@link StagedPanels#bf16x8Fill}.
     */
    static void bf16x12Fill(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t, int[] s) {
        FloatVector a00 = FloatVector.zero(F), b00 = a00;
        FloatVector a01 = FloatVector.zero(F), b01 = a01;
        FloatVector a02 = FloatVector.zero(F), b02 = a02;
        FloatVector a03 = FloatVector.zero(F), b03 = a03;
        FloatVector a04 = FloatVector.zero(F), b04 = a04;
        FloatVector a05 = FloatVector.zero(F), b05 = a05;
        FloatVector a06 = FloatVector.zero(F), b06 = a06;
        FloatVector a07 = FloatVector.zero(F), b07 = a07;
        FloatVector a08 = FloatVector.zero(F), b08 = a08;
        FloatVector a09 = FloatVector.zero(F), b09 = a09;
        FloatVector a10 = FloatVector.zero(F), b10 = a10;
        FloatVector a11 = FloatVector.zero(F), b11 = a11;
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 12;  // x distance between the streams
        IntVector v, v2;
        FloatVector lo, hi, lo2, hi2, w;
        // two streams an iteration, the first pair of quarters then the second at the same step: the
        // same four interleaved streams and the same order of sums as four streams an iteration, in
        // a loop body C1 can compile. With four, C1 ran out of virtual registers; when the C2 queue
        // was long, HotSpot compiled the method at tier 2 (C1, limited profile), could not move it
        // to tier 3 and left it there: C1 does not intrinsify the Vector API, and decode at batch
        // 32 and prefill ran 20 times slower for the rest of the run (about one run in fifteen).
        for (int i = 0; i < 2 * q; i++) {
            int k = (i >> 1) + (i & 1) * 2 * q; // the step of the pair's first stream
            int o = po + k * FL * 4;
            int xk = xo + k * 12;
            v = IntVector.fromByteBuffer(I, p, o, LE);
            v.intoArray(s, k * FL);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            v2 = IntVector.fromByteBuffer(I, p, o + qb, LE);
            v2.intoArray(s, (k + q) * FL);
            lo2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi2 = v2.and(HIGH).reinterpretAsFloats();
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(w, a00);
            b00 = hi.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a01 = lo.fma(w, a01);
            b01 = hi.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a02 = lo.fma(w, a02);
            b02 = hi.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 3]);
            a03 = lo.fma(w, a03);
            b03 = hi.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 4]);
            a04 = lo.fma(w, a04);
            b04 = hi.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 5]);
            a05 = lo.fma(w, a05);
            b05 = hi.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 6]);
            a06 = lo.fma(w, a06);
            b06 = hi.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 7]);
            a07 = lo.fma(w, a07);
            b07 = hi.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 8]);
            a08 = lo.fma(w, a08);
            b08 = hi.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 9]);
            a09 = lo.fma(w, a09);
            b09 = hi.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 10]);
            a10 = lo.fma(w, a10);
            b10 = hi.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 11]);
            a11 = lo.fma(w, a11);
            b11 = hi.fma(w, b11);
            w = FloatVector.broadcast(F, x[(xk + qx) + 0]);
            a00 = lo2.fma(w, a00);
            b00 = hi2.fma(w, b00);
            w = FloatVector.broadcast(F, x[(xk + qx) + 1]);
            a01 = lo2.fma(w, a01);
            b01 = hi2.fma(w, b01);
            w = FloatVector.broadcast(F, x[(xk + qx) + 2]);
            a02 = lo2.fma(w, a02);
            b02 = hi2.fma(w, b02);
            w = FloatVector.broadcast(F, x[(xk + qx) + 3]);
            a03 = lo2.fma(w, a03);
            b03 = hi2.fma(w, b03);
            w = FloatVector.broadcast(F, x[(xk + qx) + 4]);
            a04 = lo2.fma(w, a04);
            b04 = hi2.fma(w, b04);
            w = FloatVector.broadcast(F, x[(xk + qx) + 5]);
            a05 = lo2.fma(w, a05);
            b05 = hi2.fma(w, b05);
            w = FloatVector.broadcast(F, x[(xk + qx) + 6]);
            a06 = lo2.fma(w, a06);
            b06 = hi2.fma(w, b06);
            w = FloatVector.broadcast(F, x[(xk + qx) + 7]);
            a07 = lo2.fma(w, a07);
            b07 = hi2.fma(w, b07);
            w = FloatVector.broadcast(F, x[(xk + qx) + 8]);
            a08 = lo2.fma(w, a08);
            b08 = hi2.fma(w, b08);
            w = FloatVector.broadcast(F, x[(xk + qx) + 9]);
            a09 = lo2.fma(w, a09);
            b09 = hi2.fma(w, b09);
            w = FloatVector.broadcast(F, x[(xk + qx) + 10]);
            a10 = lo2.fma(w, a10);
            b10 = hi2.fma(w, b10);
            w = FloatVector.broadcast(F, x[(xk + qx) + 11]);
            a11 = lo2.fma(w, a11);
            b11 = hi2.fma(w, b11);
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 12) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            v.intoArray(s, k * FL);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(w, a00);
            b00 = hi.fma(w, b00);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a01 = lo.fma(w, a01);
            b01 = hi.fma(w, b01);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a02 = lo.fma(w, a02);
            b02 = hi.fma(w, b02);
            w = FloatVector.broadcast(F, x[xk + 3]);
            a03 = lo.fma(w, a03);
            b03 = hi.fma(w, b03);
            w = FloatVector.broadcast(F, x[xk + 4]);
            a04 = lo.fma(w, a04);
            b04 = hi.fma(w, b04);
            w = FloatVector.broadcast(F, x[xk + 5]);
            a05 = lo.fma(w, a05);
            b05 = hi.fma(w, b05);
            w = FloatVector.broadcast(F, x[xk + 6]);
            a06 = lo.fma(w, a06);
            b06 = hi.fma(w, b06);
            w = FloatVector.broadcast(F, x[xk + 7]);
            a07 = lo.fma(w, a07);
            b07 = hi.fma(w, b07);
            w = FloatVector.broadcast(F, x[xk + 8]);
            a08 = lo.fma(w, a08);
            b08 = hi.fma(w, b08);
            w = FloatVector.broadcast(F, x[xk + 9]);
            a09 = lo.fma(w, a09);
            b09 = hi.fma(w, b09);
            w = FloatVector.broadcast(F, x[xk + 10]);
            a10 = lo.fma(w, a10);
            b10 = hi.fma(w, b10);
            w = FloatVector.broadcast(F, x[xk + 11]);
            a11 = lo.fma(w, a11);
            b11 = hi.fma(w, b11);
        }
        a00.intoArray(t, 0 * FL);
        b00.intoArray(t, 1 * FL);
        a01.intoArray(t, 2 * FL);
        b01.intoArray(t, 3 * FL);
        a02.intoArray(t, 4 * FL);
        b02.intoArray(t, 5 * FL);
        a03.intoArray(t, 6 * FL);
        b03.intoArray(t, 7 * FL);
        a04.intoArray(t, 8 * FL);
        b04.intoArray(t, 9 * FL);
        a05.intoArray(t, 10 * FL);
        b05.intoArray(t, 11 * FL);
        a06.intoArray(t, 12 * FL);
        b06.intoArray(t, 13 * FL);
        a07.intoArray(t, 14 * FL);
        b07.intoArray(t, 15 * FL);
        a08.intoArray(t, 16 * FL);
        b08.intoArray(t, 17 * FL);
        a09.intoArray(t, 18 * FL);
        b09.intoArray(t, 19 * FL);
        a10.intoArray(t, 20 * FL);
        b10.intoArray(t, 21 * FL);
        a11.intoArray(t, 22 * FL);
        b11.intoArray(t, 23 * FL);
    }
}
