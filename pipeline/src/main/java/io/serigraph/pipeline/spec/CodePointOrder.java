package io.serigraph.pipeline.spec;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, the order traits and layer folders are sorted in. Unlike
 * {@link String#compareTo}, which compares UTF-16 code units, it puts a supplementary character (an
 * emoji, U+1F600) after U+FFFD, as code point order should.
 */
public final class CodePointOrder implements Comparator<String> {
    /** The one instance. */
    public static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {}

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
