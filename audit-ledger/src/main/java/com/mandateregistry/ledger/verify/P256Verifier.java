package com.mandateregistry.ledger.verify;

import java.math.BigInteger;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Mod;
import org.bouncycastle.math.raw.Mont256;
import org.bouncycastle.math.raw.Nat256;

/**
 * ECDSA P-256 verification of a signature over a given SHA-256 digest, fast enough to check a
 * million ledger entries in seconds: the standard ECDSA verification equation (SEC 1 v2 section
 * 4.1.4) computed with fixed-base comb tables for both the generator and the public key.
 *
 * <p>Why not {@code java.security.Signature}: on Java 17 SunEC verifies about 800 P-256 signatures
 * per second and core, which puts a million entries at ten minutes on two cores. Each verifier
 * here precomputes, once per key, two 16-tooth comb tables (for Q and 2^128·Q, 65,536 affine
 * points and 4 MiB each; the generator has the same two), so that {@code u1·G + u2·Q} costs 8
 * doublings and at most 32 mixed additions instead of 256 doublings.
 * Field arithmetic is Bouncy Castle's {@link SecP256R1Field}; point formulas are the standard
 * Jacobian ones for a = -3 (EFD {@code dbl-2001-b}, {@code madd-2007-bl}). Everything is public
 * data, so nothing here needs to be constant-time. The tests compare it with SunEC on valid, altered
 * and edge-case signatures.
 *
 * <p>Rules, as in SEC 1: the signature must be strict DER of two INTEGERs r, s with 1 ≤ r, s < n;
 * e is the 256-bit digest read big-endian; R = u1·G + u2·Q with w = s⁻¹, u1 = e·w, u2 = r·w (mod
 * n); valid iff R is not the point at infinity and x(R) mod n = r. Both s and n - s verify (ECDSA
 * signatures are malleable); the ledger does not hash signatures, so that changes nothing.
 *
 * <p>Instances are immutable and thread-safe; each thread uses its own scratch buffers.
 */
public final class P256Verifier {

  private static final X9ECParameters CURVE_PARAMS = CustomNamedCurves.getByName("secp256r1");
  private static final ECCurve CURVE = CURVE_PARAMS.getCurve();
  private static final BigInteger N = CURVE_PARAMS.getN();
  private static final BigInteger P = CURVE.getField().getCharacteristic();
  private static final int[] N_LIMBS = Nat256.fromBigInteger(N);
  private static final int[] P_LIMBS = Nat256.fromBigInteger(P);
  /** -n^-1 mod 2^32, for Montgomery reduction mod n. */
  private static final int N_MONT_INV = -Mont256.inverse32(N_LIMBS[0]);
  /** 2^512 mod n: mont(x, R2) = x·2^256 mod n. */
  private static final int[] R2_MOD_N = Nat256.fromBigInteger(BigInteger.ONE.shiftLeft(512).mod(N));

  /**
   * Comb teeth: each 128-bit half of a scalar is read as 8 columns of 16 bits each, so per point two
   * tables (for P and 2^128·P) and per verification 8 doublings.
   */
  private static final int TEETH = 16;

  /** Each scalar is split into two 128-bit halves, each with its own comb table. */
  private static final int HALF = 128;

  private static final int SPACING = HALF / TEETH;
  private static final int ENTRY_INTS = 16; // x (8 ints) then y (8 ints), little-endian limbs

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final int[] publicLow;
  private final int[] publicHigh;

  private P256Verifier(int[] publicLow, int[] publicHigh) {
    this.publicLow = publicLow;
    this.publicHigh = publicHigh;
  }

  /**
   * A verifier for {@code key}. Builds the key's comb table (about 0.1 s; keep the instance).
   *
   * @throws IllegalArgumentException if the key is not a valid point of P-256
   */
  public static P256Verifier forKey(ECPublicKey key) {
    ECPoint q =
        CURVE.createPoint(key.getW().getAffineX(), key.getW().getAffineY());
    if (q.isInfinity() || !q.isValid()) {
      throw new IllegalArgumentException("public key is not a point of P-256");
    }
    return new P256Verifier(combTable(q), combTable(q.timesPow2(HALF)));
  }

  /**
   * Checks that {@code derSignature} is a valid signature over {@code sha256Digest}.
   *
   * @throws SignatureException if it is not, or if the signature is not strict DER
   */
  public void verifyDigest(byte[] sha256Digest, byte[] derSignature) throws SignatureException {
    if (sha256Digest.length != 32) {
      throw new SignatureException("a SHA-256 digest has 32 bytes, not " + sha256Digest.length);
    }
    Scratch p = SCRATCH.get();
    if (!parseDer(derSignature, p.r, p.s)) {
      throw new SignatureException("signature is not a strict DER ECDSA signature");
    }
    if (!verify(sha256Digest, p)) {
      throw new SignatureException("signature does not verify");
    }
  }

  /**
   * Reads a strict DER {@code SEQUENCE { INTEGER r, INTEGER s }} with 0 ≤ r, s < n into {@code r}
   * and {@code s} (8 little-endian 32-bit limbs each): exactly the inputs that Bouncy Castle's
   * {@code StandardDSAEncoding.decode(n, der)} accepts (it re-encodes and compares): short-form
   * lengths that match the content exactly, each INTEGER non-negative and minimal (a leading 0x00
   * only before a byte ≥ 0x80), nothing after the SEQUENCE.
   *
   * @return false if {@code der} is anything else
   */
  static boolean parseDer(byte[] der, int[] r, int[] s) {
    int length = der.length;
    if (length < 8 || der[0] != 0x30 || (der[1] & 0xFF) != length - 2) {
      return false; // (der[1] ≥ 0x80, a long-form length, is never length - 2 ≤ 72: refused too)
    }
    int next = parseInteger(der, 2, r);
    if (next < 0) {
      return false;
    }
    return parseInteger(der, next, s) == length;
  }

  /** One minimal non-negative INTEGER below n at {@code der[at]}; the offset after it, or -1. */
  private static int parseInteger(byte[] der, int at, int[] out) {
    if (at + 2 > der.length || der[at] != 0x02) {
      return -1;
    }
    int length = der[at + 1] & 0xFF;
    int start = at + 2;
    int end = start + length;
    if (length < 1 || length > 33 || end > der.length) {
      return -1;
    }
    if ((der[start] & 0x80) != 0) {
      return -1; // negative
    }
    if (der[start] == 0 && length > 1) {
      if ((der[start + 1] & 0x80) == 0) {
        return -1; // not minimal
      }
      start++;
    }
    if (end - start > 32) {
      return -1; // 2^256 or more
    }
    Arrays.fill(out, 0);
    for (int k = 0, i = end - 1; i >= start; k++, i--) {
      out[k >>> 2] |= (der[i] & 0xFF) << ((k & 3) << 3);
    }
    return Nat256.gte(out, N_LIMBS) ? -1 : end;
  }

  private boolean verify(byte[] digest, Scratch p) {
    int[] r = p.r;
    if (Nat256.isZero(r) || Nat256.isZero(p.s)) {
      return false;
    }
    // e: the digest as a 256-bit big-endian integer, reduced mod n (e < 2^256 < 2n)
    int[] e = p.e;
    for (int i = 0; i < 8; i++) {
      int o = 28 - 4 * i;
      e[i] = (digest[o] & 0xFF) << 24 | (digest[o + 1] & 0xFF) << 16 | (digest[o + 2] & 0xFF) << 8 | (digest[o + 3] & 0xFF);
    }
    if (Nat256.gte(e, N_LIMBS)) {
      Nat256.subFrom(N_LIMBS, e);
    }
    // w = s^-1, u1 = e·w, u2 = r·w (mod n), the products in Montgomery form: with wR = w·R mod n
    // (R = 2^256), mont(x, wR) = x·wR·R^-1 = x·w mod n.
    if (!Mod.modOddInverseVar(N_LIMBS, p.s, p.w)) {
      return false; // s has no inverse: impossible for a prime n and 0 < s < n
    }
    montMultiply(p.w, R2_MOD_N, p.wr);
    montMultiply(e, p.wr, p.u1);
    montMultiply(r, p.wr, p.u2);
    int[] u1 = p.u1;
    int[] u2 = p.u2;
    int[] baseLow = BaseTable.LOW;
    int[] baseHigh = BaseTable.HIGH;
    p.infinity = true;
    for (int column = SPACING - 1; column >= 0; column--) {
      p.twice();
      int a = combIndex(u1, column);
      if (a != 0) {
        p.addAffine(baseLow, a * ENTRY_INTS);
      }
      a = combIndex(u1, HALF + column);
      if (a != 0) {
        p.addAffine(baseHigh, a * ENTRY_INTS);
      }
      int b = combIndex(u2, column);
      if (b != 0) {
        p.addAffine(publicLow, b * ENTRY_INTS);
      }
      b = combIndex(u2, HALF + column);
      if (b != 0) {
        p.addAffine(publicHigh, b * ENTRY_INTS);
      }
    }
    if (p.infinity) {
      return false;
    }
    // x(R) = X / Z^2. Compare X with r·Z^2, and with (r + n)·Z^2 when r + n < p.
    SecP256R1Field.square(p.z, p.t1, p.ext);
    SecP256R1Field.multiply(r, p.t1, p.t2, p.ext);
    if (Nat256.eq(p.t2, p.x)) {
      return true;
    }
    int[] rn = p.t3;
    if (Nat256.add(r, N_LIMBS, rn) == 0 && !Nat256.gte(rn, P_LIMBS)) {
      SecP256R1Field.multiply(rn, p.t1, p.t2, p.ext);
      return Nat256.eq(p.t2, p.x);
    }
    return false;
  }

  /** z = x·y·2^-256 mod n, for x, y < n (Montgomery multiplication). */
  private static void montMultiply(int[] x, int[] y, int[] z) {
    Arrays.fill(z, 0);
    Mont256.multAdd(x, y, z, N_LIMBS, N_MONT_INV);
  }

  /**
   * Bit {@code first + SPACING·j} of the scalar, for j = 0..15, as bit j of the result: the comb
   * index of one column of the low half ({@code first} < 8) or of the high half ({@code first} =
   * 128 + column).
   */
  private static int combIndex(int[] scalar, int first) {
    int index = 0;
    for (int j = 0; j < TEETH; j++) {
      int bit = SPACING * j + first;
      index |= ((scalar[bit >>> 5] >>> (bit & 31)) & 1) << j;
    }
    return index;
  }

  /**
   * table[k] = Σ over bits j of k of 2^(8·j)·point, affine, for k = 1..65535. None is the point at
   * infinity: each multiplier is non-zero and below 2^121 (for 2^128·G or 2^128·Q as the point:
   * the multiplier of the original point is below 2^249 < n).
   */
  private static int[] combTable(ECPoint point) {
    ECPoint[] powers = new ECPoint[TEETH];
    powers[0] = point.normalize();
    for (int j = 1; j < TEETH; j++) {
      powers[j] = powers[j - 1].timesPow2(SPACING).normalize();
    }
    int size = 1 << TEETH;
    ECPoint[] points = new ECPoint[size - 1];
    for (int k = 1; k < size; k++) {
      int low = Integer.numberOfTrailingZeros(k);
      int rest = k & (k - 1);
      points[k - 1] = rest == 0 ? powers[low] : points[rest - 1].add(powers[low]);
    }
    CURVE.normalizeAll(points);
    int[] table = new int[size * ENTRY_INTS];
    for (int k = 1; k < size; k++) {
      ECPoint pt = points[k - 1];
      System.arraycopy(Nat256.fromBigInteger(pt.getAffineXCoord().toBigInteger()), 0, table, k * ENTRY_INTS, 8);
      System.arraycopy(Nat256.fromBigInteger(pt.getAffineYCoord().toBigInteger()), 0, table, k * ENTRY_INTS + 8, 8);
    }
    return table;
  }

  /** Affine x of k·G (for test-only signers that need speed); k in [1, n-1]. */
  static BigInteger baseMultiplyX(BigInteger k) {
    int[] scalar = Nat256.fromBigInteger(k);
    Scratch p = new Scratch();
    p.infinity = true;
    for (int column = SPACING - 1; column >= 0; column--) {
      p.twice();
      int a = combIndex(scalar, column);
      if (a != 0) {
        p.addAffine(BaseTable.LOW, a * ENTRY_INTS);
      }
      a = combIndex(scalar, HALF + column);
      if (a != 0) {
        p.addAffine(BaseTable.HIGH, a * ENTRY_INTS);
      }
    }
    if (p.infinity) {
      throw new IllegalArgumentException("k·G is the point at infinity");
    }
    int[] zInv = new int[8];
    SecP256R1Field.inv(p.z, zInv);
    SecP256R1Field.square(zInv, p.t1);
    SecP256R1Field.multiply(p.x, p.t1, p.t2);
    return Nat256.toBigInteger(p.t2);
  }

  /** The generator's table, built on first use and shared. */
  private static final class BaseTable {
    static final int[] LOW = combTable(CURVE_PARAMS.getG());
    static final int[] HIGH = combTable(CURVE_PARAMS.getG().timesPow2(HALF));
  }

  /** A Jacobian point (X, Y, Z) being accumulated, plus temporaries; one per thread. */
  private static final class Scratch {
    final int[] x = new int[8];
    final int[] y = new int[8];
    final int[] z = new int[8];
    boolean infinity;
    final int[] ext = new int[16];
    final int[] t1 = new int[8];
    final int[] t2 = new int[8];
    final int[] t3 = new int[8];
    final int[] t4 = new int[8];
    final int[] t5 = new int[8];
    final int[] t6 = new int[8];
    final int[] t7 = new int[8];
    final int[] ax = new int[8];
    final int[] ay = new int[8];
    final int[] r = new int[8];
    final int[] s = new int[8];
    final int[] e = new int[8];
    final int[] w = new int[8];
    final int[] wr = new int[8];
    final int[] u1 = new int[8];
    final int[] u2 = new int[8];

    /** P = 2P, "dbl-2001-b" (a = -3). */
    void twice() {
      if (infinity) {
        return;
      }
      if (Nat256.isZero(y)) {
        infinity = true;
        return;
      }
      int[] delta = t1;
      int[] gamma = t2;
      int[] beta = t3;
      int[] alpha = t4;
      SecP256R1Field.square(z, delta, ext);
      SecP256R1Field.square(y, gamma, ext);
      SecP256R1Field.multiply(x, gamma, beta, ext);
      // alpha = 3 (X - delta)(X + delta)
      SecP256R1Field.subtract(x, delta, t5);
      SecP256R1Field.add(x, delta, t6);
      SecP256R1Field.multiply(t5, t6, alpha, ext);
      SecP256R1Field.twice(alpha, t5);
      SecP256R1Field.add(alpha, t5, alpha);
      // Z3 = (Y + Z)^2 - gamma - delta
      SecP256R1Field.add(y, z, t5);
      SecP256R1Field.square(t5, z, ext);
      SecP256R1Field.subtract(z, gamma, z);
      SecP256R1Field.subtract(z, delta, z);
      // beta := 4 beta; X3 = alpha^2 - 2 beta
      SecP256R1Field.twice(beta, beta);
      SecP256R1Field.twice(beta, beta);
      SecP256R1Field.square(alpha, x, ext);
      SecP256R1Field.twice(beta, t5);
      SecP256R1Field.subtract(x, t5, x);
      // Y3 = alpha (beta - X3) - 8 gamma^2
      SecP256R1Field.subtract(beta, x, t5);
      SecP256R1Field.multiply(alpha, t5, y, ext);
      SecP256R1Field.square(gamma, t6, ext);
      SecP256R1Field.twice(t6, t6);
      SecP256R1Field.twice(t6, t6);
      SecP256R1Field.twice(t6, t6);
      SecP256R1Field.subtract(y, t6, y);
    }

    /** P = P + A for the affine point A at {@code table[offset..offset+15]}, "madd-2007-bl". */
    void addAffine(int[] table, int offset) {
      System.arraycopy(table, offset, ax, 0, 8);
      System.arraycopy(table, offset + 8, ay, 0, 8);
      if (infinity) {
        System.arraycopy(ax, 0, x, 0, 8);
        System.arraycopy(ay, 0, y, 0, 8);
        Arrays.fill(z, 0);
        z[0] = 1;
        infinity = false;
        return;
      }
      int[] z1z1 = t1;
      int[] u2 = t2;
      int[] s2 = t3;
      int[] h = t4;
      int[] hh = t5;
      int[] i = t6;
      int[] j = t7;
      SecP256R1Field.square(z, z1z1, ext);
      SecP256R1Field.multiply(ax, z1z1, u2, ext);
      SecP256R1Field.multiply(ay, z, s2, ext);
      SecP256R1Field.multiply(s2, z1z1, s2, ext);
      SecP256R1Field.subtract(u2, x, h);
      SecP256R1Field.subtract(s2, y, s2); // S2 - Y1
      if (Nat256.isZero(h)) {
        if (Nat256.isZero(s2)) {
          twice(); // A equals P
        } else {
          infinity = true; // A equals -P
        }
        return;
      }
      SecP256R1Field.square(h, hh, ext);
      SecP256R1Field.twice(hh, i);
      SecP256R1Field.twice(i, i); // I = 4 HH
      SecP256R1Field.multiply(h, i, j, ext); // J = H I
      SecP256R1Field.twice(s2, s2); // r = 2 (S2 - Y1)
      SecP256R1Field.multiply(x, i, u2, ext); // V = X1 I (kept in u2)
      // Z3 = (Z1 + H)^2 - Z1Z1 - HH
      SecP256R1Field.add(z, h, i);
      SecP256R1Field.square(i, z, ext);
      SecP256R1Field.subtract(z, z1z1, z);
      SecP256R1Field.subtract(z, hh, z);
      // 2 Y1 J, before Y is overwritten
      SecP256R1Field.multiply(y, j, t1, ext);
      SecP256R1Field.twice(t1, t1);
      // X3 = r^2 - J - 2 V
      SecP256R1Field.square(s2, x, ext);
      SecP256R1Field.subtract(x, j, x);
      SecP256R1Field.twice(u2, hh);
      SecP256R1Field.subtract(x, hh, x);
      // Y3 = r (V - X3) - 2 Y1 J
      SecP256R1Field.subtract(u2, x, u2);
      SecP256R1Field.multiply(s2, u2, y, ext);
      SecP256R1Field.subtract(y, t1, y);
    }
  }
}
