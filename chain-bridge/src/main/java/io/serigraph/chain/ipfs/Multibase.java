package io.serigraph.chain.ipfs;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Multibase text encodings of bytes: base32 (RFC 4648 alphabet, no padding; prefix {@code b} lower
 * case, {@code B} upper case), base58btc (Bitcoin alphabet; prefix {@code z}) and base16 (prefix
 * {@code f}). Decoding is strict: a character outside the alphabet, an impossible length or
 * non-zero padding bits are errors that name the character offset.
 */
public final class Multibase {
    /** The encodings this class reads and writes, with their multibase prefix characters. */
    public enum Base {
        BASE32('b'),
        BASE32_UPPER('B'),
        BASE58BTC('z'),
        BASE16('f');

        private final char prefix;

        Base(char prefix) {
            this.prefix = prefix;
        }

        /** The multibase prefix character. */
        public char prefix() {
            return prefix;
        }

        /** The encoding with this prefix, or {@code null} if this class does not know it. */
        public static Base forPrefix(char prefix) {
            for (Base base : values()) {
                if (base.prefix == prefix) {
                    return base;
                }
            }
            return null;
        }
    }

    private static final char[] BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final char[] BASE32_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] BASE58 =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int[] BASE32_LOWER_VALUES = index(BASE32_LOWER);
    private static final int[] BASE32_UPPER_VALUES = index(BASE32_UPPER);
    private static final int[] BASE58_VALUES = index(BASE58);
    private static final int[] HEX_VALUES = index(HEX);

    private Multibase() {}

    /** {@code bytes} in {@code base}, with its prefix character. */
    public static String encode(Base base, byte[] bytes) {
        return base.prefix() + encodeRaw(base, bytes);
    }

    /** {@code bytes} in {@code base}, without a prefix character. */
    public static String encodeRaw(Base base, byte[] bytes) {
        switch (base) {
            case BASE32:
                return base32(bytes, BASE32_LOWER);
            case BASE32_UPPER:
                return base32(bytes, BASE32_UPPER);
            case BASE58BTC:
                return encodeBase58(bytes);
            case BASE16:
                return hex(bytes);
            default:
                throw new AssertionError(base);
        }
    }

    /**
     * Decodes a multibase string: its first character names the encoding.
     *
     * @throws MultibaseFormatException for an empty string, an unknown prefix or a bad character
     */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new MultibaseFormatException("empty multibase string: no prefix character", 0);
        }
        Base base = Base.forPrefix(text.charAt(0));
        if (base == null) {
            throw new MultibaseFormatException(
                    "unknown multibase prefix "
                            + describe(text.charAt(0))
                            + " at character offset 0 (known: b = base32, B = base32 upper,"
                            + " z = base58btc, f = base16)",
                    0);
        }
        return decodeRaw(base, text, 1);
    }

    /**
     * Decodes {@code text} from character {@code start} on, in {@code base} (no prefix expected
     * there). Error offsets are character offsets into {@code text}.
     */
    public static byte[] decodeRaw(Base base, String text, int start) {
        switch (base) {
            case BASE32:
                return decodeBase32(text, start, BASE32_LOWER_VALUES, "base32 (lower case)");
            case BASE32_UPPER:
                return decodeBase32(text, start, BASE32_UPPER_VALUES, "base32 (upper case)");
            case BASE58BTC:
                return decodeBase58(text, start);
            case BASE16:
                return decodeHex(text, start);
            default:
                throw new AssertionError(base);
        }
    }

    /** RFC 4648 base32, lower case, no padding, no prefix. */
    public static String encodeBase32(byte[] bytes) {
        return base32(bytes, BASE32_LOWER);
    }

    /** Decodes RFC 4648 base32, lower case, no padding, no prefix. */
    public static byte[] decodeBase32(String text) {
        return decodeBase32(text, 0, BASE32_LOWER_VALUES, "base32 (lower case)");
    }

    /** Base58btc (Bitcoin alphabet), no prefix. */
    public static String encodeBase58(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        // log(256) / log(58) < 1.37: enough digits for the number.
        byte[] digits = new byte[(bytes.length - zeros) * 138 / 100 + 1];
        int length = 0;
        for (int i = zeros; i < bytes.length; i++) {
            int carry = bytes[i] & 0xFF;
            for (int j = 0; j < length; j++) {
                carry += (digits[j] & 0xFF) << 8;
                digits[j] = (byte) (carry % 58);
                carry /= 58;
            }
            while (carry > 0) {
                digits[length++] = (byte) (carry % 58);
                carry /= 58;
            }
        }
        StringBuilder out = new StringBuilder(zeros + length);
        for (int i = 0; i < zeros; i++) {
            out.append(BASE58[0]);
        }
        for (int i = length - 1; i >= 0; i--) {
            out.append(BASE58[digits[i]]);
        }
        return out.toString();
    }

    /** Decodes base58btc (Bitcoin alphabet), no prefix. */
    public static byte[] decodeBase58(String text) {
        return decodeBase58(text, 0);
    }

    private static String base32(byte[] bytes, char[] alphabet) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(alphabet[(buffer >>> bits) & 31]);
            }
        }
        if (bits > 0) {
            out.append(alphabet[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    private static byte[] decodeBase32(String text, int start, int[] values, String name) {
        int chars = text.length() - start;
        byte[] out = new byte[chars * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int written = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            int v = c < values.length ? values[c] : -1;
            if (v < 0) {
                throw new MultibaseFormatException(
                        describe(c) + " at character offset " + i + " is not " + name, i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[written++] = (byte) (buffer >>> bits);
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new MultibaseFormatException(
                    name
                            + " text of "
                            + chars
                            + " characters ends with "
                            + bits
                            + " leftover bits that are not zero padding (truncated or altered"
                            + " at character offset "
                            + (text.length() - 1)
                            + ")",
                    text.length() - 1);
        }
        return out;
    }

    private static byte[] decodeBase58(String text, int start) {
        int zeros = 0;
        while (start + zeros < text.length() && text.charAt(start + zeros) == BASE58[0]) {
            zeros++;
        }
        byte[] number = new byte[text.length() - start];
        int length = 0;
        for (int i = start + zeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int carry = c < BASE58_VALUES.length ? BASE58_VALUES[c] : -1;
            if (carry < 0) {
                throw new MultibaseFormatException(
                        describe(c) + " at character offset " + i + " is not base58btc", i);
            }
            for (int j = 0; j < length; j++) {
                carry += (number[j] & 0xFF) * 58;
                number[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                number[length++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + length];
        for (int i = 0; i < length; i++) {
            out[zeros + i] = number[length - 1 - i];
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >>> 4) & 15];
            out[2 * i + 1] = HEX[bytes[i] & 15];
        }
        return new String(out);
    }

    private static byte[] decodeHex(String text, int start) {
        int chars = text.length() - start;
        if (chars % 2 != 0) {
            throw new MultibaseFormatException(
                    "base16 text has an odd number of digits ("
                            + chars
                            + "): the last one, at character offset "
                            + (text.length() - 1)
                            + ", has no pair",
                    text.length() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(chars / 2);
        for (int i = start; i < text.length(); i += 2) {
            out.write((hexDigit(text, i) << 4) | hexDigit(text, i + 1));
        }
        return out.toByteArray();
    }

    private static int hexDigit(String text, int i) {
        char c = text.charAt(i);
        int v = c < HEX_VALUES.length ? HEX_VALUES[c] : -1;
        if (v < 0) {
            throw new MultibaseFormatException(
                    describe(c) + " at character offset " + i + " is not base16 (lower case)", i);
        }
        return v;
    }

    private static int[] index(char[] alphabet) {
        int[] values = new int[128];
        Arrays.fill(values, -1);
        for (int i = 0; i < alphabet.length; i++) {
            values[alphabet[i]] = i;
        }
        return values;
    }

    static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
