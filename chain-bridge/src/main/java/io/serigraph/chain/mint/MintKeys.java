package io.serigraph.chain.mint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * Loads the minting key: a hex private key or an encrypted keystore JSON. Keys are never printed.
 */
public final class MintKeys {
    /** The environment variable holding a hex private key. */
    public static final String PRIVATE_KEY_ENV = "SERIGRAPH_PRIVATE_KEY";

    /** The environment variable holding the keystore password. */
    public static final String PASSWORD_ENV = "SERIGRAPH_KEY_PASSWORD";

    private MintKeys() {}

    /** Credentials from a hex private key (with or without {@code 0x}). */
    public static Credentials fromPrivateKey(String hex) {
        String h = hex.strip();
        if (!WalletUtils.isValidPrivateKey(h)) {
            throw new MintException(
                    "the private key in " + PRIVATE_KEY_ENV + " is not 32 bytes of hex");
        }
        return Credentials.create(h);
    }

    /** Credentials from an encrypted keystore JSON file (web3 secret storage). */
    public static Credentials fromKeystore(Path file, String password) {
        if (!Files.isRegularFile(file)) {
            throw new MintException("no key file at " + file);
        }
        try {
            return WalletUtils.loadCredentials(password, file.toFile());
        } catch (CipherException e) {
            throw new MintException(
                    "wrong password for the key file " + file + " (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            throw new MintException(
                    "cannot read the key file " + file + " as a keystore JSON: " + e.getMessage(),
                    e);
        }
    }
}
