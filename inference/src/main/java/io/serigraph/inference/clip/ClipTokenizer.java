package io.serigraph.inference.clip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE tokenizer ({@code clip/simple_tokenizer.py}) in Java, with the vocabulary
 * from a model entry ({@code bpe_simple_vocab_16e6.txt.gz} or a file in its format: a header line,
 * then one merge {@code "a b"} a line, best first).
 *
 * <p>Text is cleaned as CLIP does minus {@code ftfy}: HTML-unescaped twice (Python's {@code
 * html.unescape}), stripped, runs of Unicode whitespace made one space, stripped, lower-cased. It
 * is split with CLIP's pattern ({@code <|startoftext|>}, {@code <|endoftext|>}, the contractions
 * {@code 's 't 're 've 'm 'll 'd}, runs of letters, single digits, runs of other non-space
 * characters); each piece's UTF-8 bytes are mapped to CLIP's printable byte alphabet and merged by
 * rank, the last symbol carrying {@code </w>}. {@link #tokenize} wraps the ids in the start and end
 * tokens and pads with 0 to the context length (77), truncating an over-long text so the end token
 * stays last. Letter and digit classes are Java's Unicode tables (Unicode 13 on Java 17), CLIP's
 * are Python's {@code regex}: they differ only for characters added since. Thread-safe.
 */
public final class ClipTokenizer {
    /** The merges CLIP uses from {@code bpe_simple_vocab_16e6.txt.gz}: 49152 - 256 - 2. */
    public static final int CLIP_MERGES = 49152 - 256 - 2;

    public static final int CONTEXT_LENGTH = 77;

    private static final String SOT = "<|startoftext|>";
    private static final String EOT = "<|endoftext|>";
    private static final Pattern PIECES =
            Pattern.compile(
                    "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
                            + "|[^\\s\\p{L}\\p{N}]+",
                    Pattern.CASE_INSENSITIVE
                            | Pattern.UNICODE_CASE
                            | Pattern.UNICODE_CHARACTER_CLASS);

    /** The {@code regex} module's {@code \s}: Unicode White_Space. */
    private static final Pattern WHITESPACE =
            Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_ENCODER = new char[256];
    private static final int[] BYTE_DECODER = new int[512];

    /** The 256 byte symbols in vocabulary order. */
    private static final char[] BYTE_SYMBOLS = new char[256];

    static {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bs.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bs.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bs.add(b);
        }
        List<Integer> cs = new ArrayList<>(bs);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bs.contains(b)) {
                bs.add(b);
                cs.add(256 + n++);
            }
        }
        java.util.Arrays.fill(BYTE_DECODER, -1);
        for (int i = 0; i < 256; i++) {
            BYTE_ENCODER[bs.get(i)] = (char) (int) cs.get(i);
            BYTE_DECODER[cs.get(i)] = bs.get(i);
            BYTE_SYMBOLS[i] = (char) (int) cs.get(i);
        }
    }

    private final Map<String, Integer> encoder;
    private final String[] decoder;
    private final Map<String, Integer> ranks;
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();
    private final int contextLength;
    private final int sot;
    private final int eot;

    private ClipTokenizer(List<String[]> merges, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2");
        }
        List<String> vocab = new ArrayList<>(512 + merges.size() + 2);
        for (char c : BYTE_SYMBOLS) {
            vocab.add(String.valueOf(c));
        }
        for (char c : BYTE_SYMBOLS) {
            vocab.add(c + "</w>");
        }
        ranks = new HashMap<>(merges.size() * 2);
        for (int i = 0; i < merges.size(); i++) {
            String[] m = merges.get(i);
            vocab.add(String.join("", m));
            if (m.length == 2) {
                ranks.putIfAbsent(m[0] + " " + m[1], i);
            }
        }
        vocab.add(SOT);
        vocab.add(EOT);
        encoder = new HashMap<>(vocab.size() * 2);
        for (int i = 0; i < vocab.size(); i++) {
            encoder.put(vocab.get(i), i);
        }
        decoder = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : encoder.entrySet()) {
            decoder[e.getValue()] = e.getKey();
        }
        this.contextLength = contextLength;
        this.sot = encoder.get(SOT);
        this.eot = encoder.get(EOT);
        cache.put(SOT, new String[] {SOT});
        cache.put(EOT, new String[] {EOT});
    }

    /**
     * Reads a vocabulary file (gzip-compressed or plain UTF-8) and uses its first {@code
     * mergeCount} merges after the header line.
     */
    public static ClipTokenizer load(Path vocabulary, int mergeCount, int contextLength)
            throws IOException {
        byte[] data = Files.readAllBytes(vocabulary);
        if (data.length > 1 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                data = in.readAllBytes();
            }
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(data))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(vocabulary + ": not UTF-8 text", e);
        }
        String[] lines = text.split("\n", -1);
        if (lines.length - 1 < mergeCount) {
            throw new IOException(
                    vocabulary
                            + ": holds "
                            + Math.max(0, lines.length - 1)
                            + " lines of merges, "
                            + mergeCount
                            + " are needed");
        }
        List<String[]> merges = new ArrayList<>(mergeCount);
        for (int i = 1; i <= mergeCount; i++) {
            String line = lines[i].strip();
            String[] pair = line.isEmpty() ? new String[0] : line.split("\\s+");
            if (pair.length != 2) {
                throw new IOException(
                        vocabulary
                                + " line "
                                + (i + 1)
                                + ": expected a merge 'a b', got '"
                                + line
                                + "'");
            }
            merges.add(pair);
        }
        return new ClipTokenizer(merges, contextLength);
    }

    public int vocabularySize() {
        return decoder.length;
    }

    public int contextLength() {
        return contextLength;
    }

    public int startToken() {
        return sot;
    }

    public int endToken() {
        return eot;
    }

    /** CLIP's cleaning: unescape twice, strip, collapse whitespace, strip, lower-case. */
    public static String clean(String text) {
        String t = pyStrip(HtmlUnescape.unescape(HtmlUnescape.unescape(text)));
        t = pyStrip(WHITESPACE.matcher(t).replaceAll(" "));
        return t.toLowerCase(Locale.ROOT);
    }

    /** The BPE ids of {@code text}, without start and end tokens. */
    public int[] encode(String text) {
        String cleaned = clean(text);
        List<Integer> ids = new ArrayList<>();
        Matcher m = PIECES.matcher(cleaned);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            sb.setLength(0);
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                sb.append(BYTE_ENCODER[b & 0xFF]);
            }
            for (String symbol : bpe(sb.toString())) {
                ids.add(encoder.get(symbol));
            }
        }
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    /**
     * The model input for {@code text}: start token, ids, end token, zero padding to {@link
     * #contextLength()}; an over-long text is cut so that the end token is the last id.
     */
    public long[] tokenize(String text) {
        int[] ids = encode(text);
        long[] out = new long[contextLength];
        out[0] = sot;
        int n = Math.min(ids.length, contextLength - 2);
        for (int i = 0; i < n; i++) {
            out[1 + i] = ids[i];
        }
        if (ids.length + 2 > contextLength) {
            out[contextLength - 1] = eot;
        } else {
            out[1 + n] = eot;
        }
        return out;
    }

    /** The text of {@code ids} ({@code </w>} becomes a space; start, end and padding kept). */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            symbols.append(decoder[id]);
        }
        byte[] bytes = new byte[symbols.length()];
        int n = 0;
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            int b = c < BYTE_DECODER.length ? BYTE_DECODER[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("symbol " + c + " is not a byte symbol");
            }
            bytes[n++] = (byte) b;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).replace("</w>", " ");
    }

    private String[] bpe(String token) {
        String[] cached = cache.get(token);
        if (cached != null) {
            return cached;
        }
        List<String> word = new ArrayList<>(token.length());
        for (int i = 0; i < token.length() - 1; i++) {
            word.add(String.valueOf(token.charAt(i)));
        }
        word.add(token.charAt(token.length() - 1) + "</w>");
        while (word.size() > 1) {
            int best = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i < word.size() - 1; i++) {
                Integer rank = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < best) {
                    best = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            int i = 0;
            while (i < word.size()) {
                if (i < word.size() - 1
                        && word.get(i).equals(first)
                        && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i));
                    i++;
                }
            }
            word = merged;
        }
        String[] result = word.toArray(new String[0]);
        if (cache.size() < 100_000) {
            cache.put(token, result);
        }
        return result;
    }

    /** Python's {@code str.strip()}: whitespace is {@code str.isspace()}. */
    static String pyStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPySpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPySpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPySpace(char c) {
        return (c >= 0x09 && c <= 0x0D)
                || (c >= 0x1C && c <= 0x20)
                || c == 0x85
                || c == 0xA0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202F
                || c == 0x205F
                || c == 0x3000;
    }
}
