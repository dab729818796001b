package io.serigraph.engine.png;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * A zlib (RFC 1950) / deflate (RFC 1951) compressor in pure Java, built for speed on filtered
 * scanlines in the style of fpng and libdeflate's fastest levels: LZ77 over a hash table of 4-byte
 * prefixes with short hash chains (greedy, the first match found at least {@code niceLength} long
 * wins), only the tail of each match hashed (a run of 258 zeros costs one probe, not 258 inserts),
 * matches compared 8 bytes at a time, probing fewer positions the longer nothing of 12 or more
 * bytes has matched (LZ4's acceleration, for noise), then dynamic Huffman blocks whose
 * length-limited canonical codes are built from each block's histogram, written through a 64-bit
 * bit buffer. A block whose dynamic coding would be larger than its bytes is written stored
 * instead.
 *
 * <p>Usage: {@link #reset()}, then {@link #deflate} once per piece of input (the last with {@code
 * last = true}); the zlib stream is {@link #output()}{@code [0, }{@link #outputLength()}{@code )}.
 * Matches never reach back into an earlier piece, so pieces are compressed independently inside one
 * stream. All buffers are allocated once and grown only when a larger input comes: one deflater per
 * thread encodes any number of images without allocating. It is <b>not thread-safe</b>.
 *
 * <p>The output depends only on the input pieces and the settings: the same input always gives the
 * same bytes.
 */
public final class FastDeflater {
    /** Shortest match emitted; the hash covers exactly these bytes. */
    static final int MIN_MATCH = 4;

    static final int MAX_MATCH = 258;
    static final int WINDOW = 1 << 15;
    private static final int WMASK = WINDOW - 1;
    private static final int HASH_BITS = 15;
    private static final int MAX_BITS = 15;
    private static final int MAX_CL_BITS = 7;
    private static final int LITLEN_SYMBOLS = 286;
    private static final int DIST_SYMBOLS = 30;
    private static final int END_OF_BLOCK = 256;
    private static final int MAX_STORED = 65535;

    /** Code-length alphabet order (RFC 1951, 3.2.7). */
    private static final int[] CL_ORDER = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
    };

    private static final int[] LEN_BASE = new int[29];
    private static final int[] LEN_EXTRA = new int[29];
    private static final int[] DIST_BASE = new int[30];
    private static final int[] DIST_EXTRA = new int[30];

    /** Length code (0..28, add 257) of each match length minus 3. */
    private static final byte[] LEN_CODE = new byte[256];

    /** Distance code of distance-1 below 256, and of (distance-1) >> 7 at 256 and above. */
    private static final byte[] DIST_CODE = new byte[512];

    static {
        int len = 0;
        for (int code = 0; code < 28; code++) {
            LEN_EXTRA[code] = code < 8 ? 0 : (code - 4) >> 2;
            LEN_BASE[code] = len + 3;
            for (int i = 0; i < (1 << LEN_EXTRA[code]); i++) {
                LEN_CODE[len++] = (byte) code;
            }
        }
        // Length 258 has its own code (285) with no extra bits; 3+255 = 258 maps there.
        LEN_BASE[28] = 258;
        LEN_EXTRA[28] = 0;
        LEN_CODE[255] = 28;
        int dist = 0;
        for (int code = 0; code < 16; code++) {
            DIST_EXTRA[code] = code < 2 ? 0 : (code >> 1) - 1;
            DIST_BASE[code] = dist + 1;
            for (int i = 0; i < (1 << DIST_EXTRA[code]); i++) {
                DIST_CODE[dist++] = (byte) code;
            }
        }
        dist >>= 7;
        for (int code = 16; code < 30; code++) {
            DIST_EXTRA[code] = (code >> 1) - 1;
            DIST_BASE[code] = (dist << 7) + 1;
            for (int i = 0; i < (1 << (DIST_EXTRA[code] - 7)); i++) {
                DIST_CODE[256 + dist++] = (byte) code;
            }
        }
    }

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int chainDepth;
    private final int niceLength;
    private final int insertLimit;
    private final int blockSymbols;
    private final int skipShift;

    /** Most literals written unprobed after a run of misses. */
    private static final int MAX_SKIP = 8;

    /** A match at least this long restarts probing every position. */
    private static final int SKIP_RESET = 12;

    private final int[] head = new int[1 << HASH_BITS];
    private final int[] prev = new int[WINDOW];

    /** The current block's symbols: a literal byte, or MATCH | (length-3) << 15 | (distance-1). */
    private final int[] seq;

    private static final int MATCH = 1 << 30;
    private int seqLen;

    private final int[] litFreq = new int[LITLEN_SYMBOLS];
    private final int[] distFreq = new int[DIST_SYMBOLS];
    private final int[] clFreq = new int[19];
    private final int[] litLen = new int[LITLEN_SYMBOLS];
    private final int[] litCode = new int[LITLEN_SYMBOLS];

    /** Literal codes and lengths in one word: code << 4 | length. */
    private final int[] litPacked = new int[256];

    private final int[] distLen = new int[DIST_SYMBOLS];
    private final int[] distCode = new int[DIST_SYMBOLS];
    private final int[] clLen = new int[19];
    private final int[] clCode = new int[19];

    /** Run-length coded code lengths of the block header: symbol | extra << 8. */
    private final int[] clSeq = new int[LITLEN_SYMBOLS + DIST_SYMBOLS];

    private int clSeqLen;
    private final int[] allLens = new int[LITLEN_SYMBOLS + DIST_SYMBOLS];

    // Huffman construction scratch.
    private final long[] sortKeys = new long[LITLEN_SYMBOLS];
    private final int[] depth = new int[LITLEN_SYMBOLS];
    private final int[] blCount = new int[LITLEN_SYMBOLS + 1];
    private final int[] nextCode = new int[MAX_BITS + 2];

    private final Adler32 adler = new Adler32();
    private byte[] out = new byte[1 << 16];
    private int outLen;
    private long bitBuf;
    private int bitCount;
    private boolean finished;

    /**
     * A deflater with the given effort.
     *
     * @param chainDepth hash-chain candidates tried per position (1 = only the newest)
     * @param niceLength a match at least this long ends the search at once (4..258)
     * @param insertLimit of the positions inside a match, only the last {@code insertLimit} are
     *     hashed (all of a shorter match): a long run costs no hashing, and a later match that runs
     *     into what follows it is still found from its tail; 258 hashes every position
     * @param blockSymbols symbols per Huffman block (the block split)
     * @param skipShift after {@code m} fruitless probes since the last match of 12+ bytes, a probe
     *     that finds no match writes the next {@code 1 + min(m >> skipShift, 7)} bytes as literals
     *     without probing them (0..31; 31 probes every position; smaller values give up on
     *     incompressible data sooner)
     */
    public FastDeflater(
            int chainDepth, int niceLength, int insertLimit, int blockSymbols, int skipShift) {
        if (skipShift < 0 || skipShift > 31) {
            throw new IllegalArgumentException("skipShift must be 0..31, was " + skipShift);
        }
        if (chainDepth < 1) {
            throw new IllegalArgumentException("chainDepth must be >= 1, was " + chainDepth);
        }
        if (niceLength < MIN_MATCH || niceLength > MAX_MATCH) {
            throw new IllegalArgumentException("niceLength must be 4..258, was " + niceLength);
        }
        if (blockSymbols < 1 << 10 || blockSymbols > 1 << 20) {
            throw new IllegalArgumentException(
                    "blockSymbols must be 1024..1048576, was " + blockSymbols);
        }
        this.chainDepth = chainDepth;
        this.niceLength = niceLength;
        this.insertLimit = Math.max(0, insertLimit);
        this.blockSymbols = blockSymbols;
        this.skipShift = skipShift;
        this.seq = new int[blockSymbols + 8];
    }

    /** Starts a new zlib stream: writes the two-byte header. */
    public void reset() {
        outLen = 0;
        bitBuf = 0;
        bitCount = 0;
        finished = false;
        adler.reset();
        out[outLen++] = 0x78;
        out[outLen++] = 0x5E; // deflate, 32 KiB window, "fast" level hint; (0x785E % 31 == 0)
    }

    /**
     * Compresses {@code in[off, off+len)} as one or more blocks of the stream; the block ending the
     * piece is the final one when {@code last}, after which the Adler-32 trailer is written.
     */
    public void deflate(byte[] in, int off, int len, boolean last) {
        if (finished) {
            throw new IllegalStateException("the stream is finished; call reset() first");
        }
        if (off < 0 || len < 0 || off > in.length - len) {
            throw new IndexOutOfBoundsException("off=" + off + " len=" + len);
        }
        adler.update(in, off, len);
        Arrays.fill(head, -1);
        clearBlock();
        int end = off + len;
        int blockStart = off;
        int p = off;
        int hashEnd = end - MIN_MATCH;
        int[] seq = this.seq;
        int[] litFreq = this.litFreq;
        int misses = 0;
        while (p <= hashEnd) {
            int cur = (int) INT_LE.get(in, p);
            int h = (cur * 0x9E3779B1) >>> (32 - HASH_BITS);
            int cand = head[h];
            head[h] = p;
            prev[p & WMASK] = cand;
            int bestLen = 0;
            int bestDist = 0;
            int maxLen = Math.min(MAX_MATCH, end - p);
            int tries = chainDepth;
            int limit = p - WINDOW;
            while (cand >= off && cand >= limit) {
                if ((int) INT_LE.get(in, cand) == cur) {
                    int l = matchLength(in, cand, p, maxLen);
                    if (l > bestLen) {
                        bestLen = l;
                        bestDist = p - cand;
                        if (l >= niceLength) {
                            break;
                        }
                    }
                }
                if (--tries == 0) {
                    break;
                }
                int next = prev[cand & WMASK];
                if (next >= cand) {
                    break;
                }
                cand = next;
            }
            if (bestLen >= MIN_MATCH) {
                // Only a long match says the data is compressible here; short ones in noise do not.
                misses = bestLen >= SKIP_RESET ? 0 : misses;
                seq[seqLen++] = MATCH | (bestLen - 3) << 15 | (bestDist - 1);
                litFreq[257 + LEN_CODE[bestLen - 3]]++;
                distFreq[distCode(bestDist - 1)]++;
                int stop = p + bestLen;
                // The positions inside the match: only its last insertLimit are hashed, those a
                // later match of what follows the run can start from.
                insert(in, Math.max(p + 1, stop - insertLimit), Math.min(stop, hashEnd + 1));
                p = stop;
            } else {
                // No match: the next bytes go out as literals unprobed, more of them the longer
                // nothing has matched (LZ4's acceleration): noise costs little search, while a
                // match starting among them is still found, shorter, at the next probe.
                int stop = Math.min(p + 1 + Math.min(misses++ >>> skipShift, MAX_SKIP - 1), end);
                literals(in, p, stop);
                p = stop;
            }
            if (seqLen >= blockSymbols) {
                flushBlock(in, blockStart, p - blockStart, false);
                blockStart = p;
            }
        }
        while (p < end) {
            int b = in[p] & 0xFF;
            seq[seqLen++] = b;
            litFreq[b]++;
            p++;
            if (seqLen >= blockSymbols) {
                flushBlock(in, blockStart, p - blockStart, false);
                blockStart = p;
            }
        }
        if (seqLen > 0 || last) {
            // An input ending exactly on a block split still needs its final (then empty) block.
            flushBlock(in, blockStart, p - blockStart, last);
        }
        if (last) {
            alignToByte();
            int a = (int) adler.getValue();
            ensureOut(4);
            out[outLen++] = (byte) (a >>> 24);
            out[outLen++] = (byte) (a >>> 16);
            out[outLen++] = (byte) (a >>> 8);
            out[outLen++] = (byte) a;
            finished = true;
        }
    }

    /*
     * The loops inside deflate's loop are methods of their own: called millions of times, they are
     * compiled at once and inlined; as loops of deflate, each would have made the JIT compile all of
     * deflate again on-stack from that loop.
     */

    /** Hashes the positions {@code [from, to)} into the chains. */
    private void insert(byte[] in, int from, int to) {
        for (int q = from; q < to; q++) {
            int hq = ((int) INT_LE.get(in, q) * 0x9E3779B1) >>> (32 - HASH_BITS);
            prev[q & WMASK] = head[hq];
            head[hq] = q;
        }
    }

    /** Appends {@code in[from, to)} to the block as literals. */
    private void literals(byte[] in, int from, int to) {
        int n = seqLen;
        for (int p = from; p < to; p++) {
            int b = in[p] & 0xFF;
            seq[n++] = b;
            litFreq[b]++;
        }
        seqLen = n;
    }

    /** The buffer holding the zlib stream; valid up to {@link #outputLength()}. */
    public byte[] output() {
        return out;
    }

    public int outputLength() {
        return outLen;
    }

    private static int distCode(int d) {
        return d < 256 ? DIST_CODE[d] : DIST_CODE[256 + (d >>> 7)];
    }

    private static int matchLength(byte[] b, int a, int p, int max) {
        int n = MIN_MATCH;
        while (n + 8 <= max) {
            long x = (long) LONG_LE.get(b, a + n) ^ (long) LONG_LE.get(b, p + n);
            if (x != 0) {
                return n + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            n += 8;
        }
        while (n < max && b[a + n] == b[p + n]) {
            n++;
        }
        return Math.min(n, max);
    }

    private void clearBlock() {
        seqLen = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
    }

    /**
     * Writes the current symbols as one block covering {@code in[start, start+rawLen)}: dynamic
     * Huffman, or stored when that is smaller.
     */
    private void flushBlock(byte[] in, int start, int rawLen, boolean last) {
        // No loop of its own, only calls: a few calls per image never make this method hot
        // enough for C2 to compile it (with everything it calls inlined, once on-stack and once
        // again), while each callee is compiled once on its own.
        litFreq[END_OF_BLOCK]++;
        buildLengths(litFreq, LITLEN_SYMBOLS, MAX_BITS, litLen);
        buildLengths(distFreq, DIST_SYMBOLS, MAX_BITS, distLen);
        int hlit = usedLength(litLen, LITLEN_SYMBOLS, 257);
        int hdist = usedLength(distLen, DIST_SYMBOLS, 1);
        System.arraycopy(litLen, 0, allLens, 0, hlit);
        System.arraycopy(distLen, 0, allLens, hlit, hdist);
        runLengthCodeLengths(hlit + hdist);
        buildLengths(clFreq, 19, MAX_CL_BITS, clLen);
        int hclen = headerCodeLengths();
        int storedBlocks = Math.max(1, (rawLen + MAX_STORED - 1) / MAX_STORED);
        long storedBits = 8L * rawLen + 40L * storedBlocks + 10;
        if (storedBits < dynamicBits(hclen)) {
            writeStored(in, start, rawLen, last);
        } else {
            canonicalCodes(litLen, litCode, LITLEN_SYMBOLS);
            canonicalCodes(distLen, distCode, DIST_SYMBOLS);
            canonicalCodes(clLen, clCode, 19);
            writeDynamic(hlit, hdist, hclen, last);
        }
        clearBlock();
    }

    /**
     * How many of {@code lens[0, n)} a block header lists: up to the last non-zero, {@code min} at
     * least.
     */
    private static int usedLength(int[] lens, int n, int min) {
        while (n > min && lens[n - 1] == 0) {
            n--;
        }
        return n;
    }

    /** How many code-length code lengths the header lists (HCLEN + 4), in {@link #CL_ORDER}. */
    private int headerCodeLengths() {
        int hclen = 19;
        while (hclen > 4 && clLen[CL_ORDER[hclen - 1]] == 0) {
            hclen--;
        }
        return hclen;
    }

    /** The size in bits of the current block written with dynamic Huffman codes. */
    private long dynamicBits(int hclen) {
        long bits = 3 + 5 + 5 + 4 + 3L * hclen;
        for (int s = 0; s < 19; s++) {
            bits += (long) clFreq[s] * clLen[s];
        }
        bits += 2L * clFreq[16] + 3L * clFreq[17] + 7L * clFreq[18];
        for (int s = 0; s < LITLEN_SYMBOLS; s++) {
            bits += (long) litFreq[s] * (litLen[s] + (s > 256 ? LEN_EXTRA[s - 257] : 0));
        }
        for (int s = 0; s < DIST_SYMBOLS; s++) {
            bits += (long) distFreq[s] * (distLen[s] + DIST_EXTRA[s]);
        }
        return bits;
    }

    private void writeStored(byte[] in, int start, int rawLen, boolean last) {
        int p = start;
        int end = start + rawLen;
        do {
            int n = Math.min(MAX_STORED, end - p);
            boolean fin = last && p + n == end;
            putBits(fin ? 1 : 0, 3); // BFINAL, BTYPE = 00
            alignToByte();
            ensureOut(4 + n);
            out[outLen++] = (byte) n;
            out[outLen++] = (byte) (n >>> 8);
            out[outLen++] = (byte) ~n;
            out[outLen++] = (byte) (~n >>> 8);
            System.arraycopy(in, p, out, outLen, n);
            outLen += n;
            p += n;
        } while (p < end);
    }

    private void writeDynamic(int hlit, int hdist, int hclen, boolean last) {
        putBits((last ? 1 : 0) | 2 << 1, 3); // BFINAL, BTYPE = 10
        putBits(hlit - 257, 5);
        putBits(hdist - 1, 5);
        putBits(hclen - 4, 4);
        for (int i = 0; i < hclen; i++) {
            putBits(clLen[CL_ORDER[i]], 3);
        }
        for (int i = 0; i < clSeqLen; i++) {
            int s = clSeq[i] & 0xFF;
            int extra = clSeq[i] >>> 8;
            putBits(clCode[s], clLen[s]);
            if (s == 16) {
                putBits(extra, 2);
            } else if (s == 17) {
                putBits(extra, 3);
            } else if (s == 18) {
                putBits(extra, 7);
            }
        }
        // Worst case per symbol: 15 + 5 + 15 + 13 bits, under 6 bytes; the loop does not check the
        // output's room, only the bit buffer's.
        ensureOut(seqLen * 6 + 16);
        int[] seq = this.seq;
        int[] litPacked = this.litPacked;
        for (int i = 0; i < 256; i++) {
            litPacked[i] = litCode[i] << 4 | litLen[i];
        }
        int[] litCode = this.litCode;
        int[] litLen = this.litLen;
        int[] distCode = this.distCode;
        int[] distLen = this.distLen;
        byte[] out = this.out;
        long buf = bitBuf;
        int cnt = bitCount;
        int o = outLen;
        for (int i = 0, n = seqLen; i < n; i++) {
            int e = seq[i];
            if (e < MATCH) {
                int c = litPacked[e];
                buf |= (long) (c >>> 4) << cnt;
                cnt += c & 15;
            } else {
                int l = (e >>> 15) & 0xFF;
                int d = e & WMASK;
                int lc = LEN_CODE[l];
                int ls = 257 + lc;
                buf |= (long) litCode[ls] << cnt;
                cnt += litLen[ls];
                buf |= (long) (l + 3 - LEN_BASE[lc]) << cnt;
                cnt += LEN_EXTRA[lc];
                // A whole match is up to 15 + 5 + 15 + 13 = 48 bits: with up to 31 bits pending
                // that overflows the 64-bit buffer, so the length half is flushed first (at most
                // 31 + 20 bits here, then at most 31 + 28 after the distance).
                if (cnt >= 32) {
                    INT_LE.set(out, o, (int) buf);
                    o += 4;
                    buf >>>= 32;
                    cnt -= 32;
                }
                int dc = distCode(d);
                buf |= (long) distCode[dc] << cnt;
                cnt += distLen[dc];
                buf |= (long) (d + 1 - DIST_BASE[dc]) << cnt;
                cnt += DIST_EXTRA[dc];
            }
            if (cnt >= 32) {
                INT_LE.set(out, o, (int) buf);
                o += 4;
                buf >>>= 32;
                cnt -= 32;
            }
        }
        bitBuf = buf;
        bitCount = cnt;
        outLen = o;
        putBits(litCode[END_OF_BLOCK], litLen[END_OF_BLOCK]);
    }

    /** Run-length codes {@link #allLens}[0, n) with symbols 16, 17, 18 into {@link #clSeq}. */
    private void runLengthCodeLengths(int n) {
        Arrays.fill(clFreq, 0);
        clSeqLen = 0;
        int i = 0;
        while (i < n) {
            int v = allLens[i];
            int run = 1;
            while (i + run < n && allLens[i + run] == v) {
                run++;
            }
            i += run;
            if (v == 0) {
                while (run >= 11) {
                    int r = Math.min(run, 138);
                    addCl(18, r - 11);
                    run -= r;
                }
                if (run >= 3) {
                    addCl(17, run - 3);
                    run = 0;
                }
            } else {
                addCl(v, 0);
                run--;
                while (run >= 3) {
                    int r = Math.min(run, 6);
                    addCl(16, r - 3);
                    run -= r;
                }
            }
            while (run-- > 0) {
                addCl(v, 0);
            }
        }
    }

    private void addCl(int symbol, int extra) {
        clSeq[clSeqLen++] = symbol | extra << 8;
        clFreq[symbol]++;
    }

    /**
     * Huffman code lengths for {@code freq[0, n)}, at most {@code limit} bits, into {@code lens}:
     * an in-place minimum-redundancy code (Moffat and Katajainen), then lengths over the limit
     * folded back as JPEG's Annex K.3 does, and the lengths handed out again longest-to-rarest.
     * Symbols that never occur get length 0; when fewer than two occur, one or two symbols get
     * length 1, so every code is complete or the single-code case that RFC 1951 allows.
     */
    private void buildLengths(int[] freq, int n, int limit, int[] lens) {
        // Calls only, like flushBlock: each step is compiled on its own.
        Arrays.fill(lens, 0, n, 0);
        int used = sortUsed(freq, n);
        if (used < 2) {
            int only = used == 1 ? (int) (sortKeys[0] & 0xFFFF) : 0;
            lens[only] = 1;
            lens[only == 0 ? 1 : 0] = 1;
            return;
        }
        int maxLen = countLengths(used);
        limitLengths(maxLen, limit);
        assignLengths(lens, Math.min(maxLen, limit));
    }

    /**
     * The symbols of {@code freq[0, n)} that occur, as {@code freq << 16 | symbol} sorted into
     * {@link #sortKeys}; returns how many.
     */
    private int sortUsed(int[] freq, int n) {
        int used = 0;
        for (int s = 0; s < n; s++) {
            if (freq[s] != 0) {
                sortKeys[used++] = (long) freq[s] << 16 | s;
            }
        }
        heapSort(sortKeys, used);
        return used;
    }

    /**
     * The code length of each of the {@code used} sorted symbols, counted per length into {@link
     * #blCount}; returns the longest.
     */
    private int countLengths(int used) {
        int[] a = depth;
        for (int i = 0; i < used; i++) {
            a[i] = (int) (sortKeys[i] >>> 16);
        }
        minimumRedundancy(a, used);
        Arrays.fill(blCount, 0);
        int maxLen = 0;
        for (int i = 0; i < used; i++) {
            blCount[a[i]]++;
            maxLen = Math.max(maxLen, a[i]);
        }
        return maxLen;
    }

    /** Folds the counts of lengths over {@code limit} back under it (JPEG, Annex K.3). */
    private void limitLengths(int maxLen, int limit) {
        for (int i = maxLen; i > limit; i--) {
            while (blCount[i] > 0) {
                int j = i - 2;
                while (blCount[j] == 0) {
                    j--;
                }
                blCount[i] -= 2;
                blCount[i - 1]++;
                blCount[j + 1] += 2;
                blCount[j]--;
            }
        }
    }

    /** Hands the counted lengths out, the rarest symbols (front of the sorted list) the longest. */
    private void assignLengths(int[] lens, int maxLen) {
        int k = 0;
        for (int len = maxLen; len >= 1; len--) {
            for (int c = blCount[len]; c > 0; c--) {
                lens[(int) (sortKeys[k++] & 0xFFFF)] = len;
            }
        }
    }

    /**
     * Sorts {@code a[0, n)} ascending, in place. The keys are distinct (the symbol is in the low
     * bits), so any sort gives the same order; a heap sort is a few lines the JIT compiles at once,
     * where {@link Arrays#sort(long[], int, int)}'s dual-pivot quicksort took ~0.3 s of C2 time at
     * the start of every render.
     */
    static void heapSort(long[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            long top = a[0];
            a[0] = a[end];
            a[end] = top;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(long[] a, int i, int n) {
        long v = a[i];
        int child;
        while ((child = 2 * i + 1) < n) {
            if (child + 1 < n && a[child + 1] > a[child]) {
                child++;
            }
            if (a[child] <= v) {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = v;
    }

    /**
     * Moffat and Katajainen's in-place algorithm: {@code a[0, n)} holds weights in ascending order
     * and is replaced by the code length of each.
     */
    private static void minimumRedundancy(int[] a, int n) {
        a[0] += a[1];
        int root = 0;
        int leaf = 2;
        for (int next = 1; next < n - 1; next++) {
            if (leaf >= n || a[root] < a[leaf]) {
                a[next] = a[root];
                a[root++] = next;
            } else {
                a[next] = a[leaf++];
            }
            if (leaf >= n || (root < next && a[root] < a[leaf])) {
                a[next] += a[root];
                a[root++] = next;
            } else {
                a[next] += a[leaf++];
            }
        }
        a[n - 2] = 0;
        for (int next = n - 3; next >= 0; next--) {
            a[next] = a[a[next]] + 1;
        }
        int avail = 1;
        int usedNodes = 0;
        int dpth = 0;
        int root2 = n - 2;
        int next = n - 1;
        while (avail > 0) {
            while (root2 >= 0 && a[root2] == dpth) {
                usedNodes++;
                root2--;
            }
            while (avail > usedNodes) {
                a[next--] = dpth;
                avail--;
            }
            avail = 2 * usedNodes;
            dpth++;
            usedNodes = 0;
        }
    }

    /** Canonical codes (RFC 1951, 3.2.2) for {@code lens}, bit-reversed for LSB-first output. */
    private void canonicalCodes(int[] lens, int[] codes, int n) {
        Arrays.fill(blCount, 0, MAX_BITS + 1, 0);
        for (int s = 0; s < n; s++) {
            blCount[lens[s]]++;
        }
        blCount[0] = 0;
        int code = 0;
        for (int bits = 1; bits <= MAX_BITS; bits++) {
            code = (code + blCount[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        for (int s = 0; s < n; s++) {
            int len = lens[s];
            if (len != 0) {
                codes[s] = Integer.reverse(nextCode[len]++) >>> (32 - len);
            }
        }
    }

    private void putBits(int value, int n) {
        bitBuf |= (long) value << bitCount;
        bitCount += n;
        if (bitCount >= 32) {
            ensureOut(4);
            INT_LE.set(out, outLen, (int) bitBuf);
            outLen += 4;
            bitBuf >>>= 32;
            bitCount -= 32;
        }
    }

    private void alignToByte() {
        ensureOut(8);
        while (bitCount > 0) {
            out[outLen++] = (byte) bitBuf;
            bitBuf >>>= 8;
            bitCount -= 8;
        }
        bitBuf = 0;
        bitCount = 0;
    }

    private void ensureOut(int more) {
        if (out.length - outLen < more) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + more));
        }
    }
}
