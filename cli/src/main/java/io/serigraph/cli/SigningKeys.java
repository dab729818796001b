package io.serigraph.cli;

import io.serigraph.chain.mint.MintKeys;
import java.io.Console;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.web3j.crypto.Credentials;

/**
 * The signing key of {@code mint} and {@code serve --mint-rpc}: an encrypted keystore (its password
 * from {@value MintKeys#PASSWORD_ENV}, else a prompt where the command may ask), else the hex
 * private key in {@value MintKeys#PRIVATE_KEY_ENV}. Errors name the command's own options.
 */
final class SigningKeys {
    private SigningKeys() {}

    /**
     * Loads the key.
     *
     * @param env where the key and password come from (the environment; tests substitute it)
     * @param keyFile the keystore, or {@code null} for the hex key
     * @param keyFileOption the option that names the keystore, for messages
     * @param noKey what the command says when there is no key at all, e.g. {@code "no key"}
     * @param prompt whether a missing password may be asked for on the terminal
     * @throws BadInputException when the password or the key is missing
     */
    static Credentials load(
            UnaryOperator<String> env,
            Path keyFile,
            String keyFileOption,
            String noKey,
            boolean prompt)
            throws BadInputException {
        if (keyFile != null) {
            String password = env.apply(MintKeys.PASSWORD_ENV);
            if (password == null) {
                if (!prompt) {
                    throw new BadInputException(
                            keyFileOption + " needs its password in " + MintKeys.PASSWORD_ENV);
                }
                Console c = System.console();
                if (c == null) {
                    throw new BadInputException(
                            keyFileOption
                                    + " needs its password: set "
                                    + MintKeys.PASSWORD_ENV
                                    + " or run on a terminal");
                }
                char[] pw = c.readPassword("password for %s: ", keyFile);
                password = pw == null ? "" : new String(pw);
            }
            return MintKeys.fromKeystore(keyFile, password);
        }
        String hex = env.apply(MintKeys.PRIVATE_KEY_ENV);
        if (hex == null || hex.isBlank()) {
            throw new BadInputException(
                    noKey + ": set " + MintKeys.PRIVATE_KEY_ENV + " or pass " + keyFileOption);
        }
        return MintKeys.fromPrivateKey(hex);
    }
}
