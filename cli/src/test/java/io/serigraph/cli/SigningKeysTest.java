package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.mint.MintException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;

/**
 * The one key loader of {@code mint} and {@code serve --mint-rpc}, with each command's messages.
 */
class SigningKeysTest {
    /** anvil's first development key. */
    private static final String KEY =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static final String ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    @TempDir Path dir;

    private static UnaryOperator<String> env(String... keyValues) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m::get;
    }

    @Test
    void theHexKeyComesFromTheEnvironment() throws Exception {
        Credentials c =
                SigningKeys.load(
                        env("SERIGRAPH_PRIVATE_KEY", KEY), null, "--key-file", "no key", true);
        assertThat(c.getAddress()).isEqualTo(ADDRESS);
    }

    @Test
    void noKeySaysWhatToSetInEachCommandsWords() {
        assertThatThrownBy(() -> SigningKeys.load(env(), null, "--key-file", "no key", true))
                .isInstanceOf(BadInputException.class)
                .hasMessage("no key: set SERIGRAPH_PRIVATE_KEY or pass --key-file");
        assertThatThrownBy(
                        () ->
                                SigningKeys.load(
                                        env("SERIGRAPH_PRIVATE_KEY", " "),
                                        null,
                                        "--mint-key-file",
                                        "--mint-rpc needs the node's key",
                                        false))
                .isInstanceOf(BadInputException.class)
                .hasMessage(
                        "--mint-rpc needs the node's key: set SERIGRAPH_PRIVATE_KEY or pass"
                                + " --mint-key-file");
    }

    @Test
    void aBadHexKeyNamesTheVariable() {
        assertThatThrownBy(
                        () ->
                                SigningKeys.load(
                                        env("SERIGRAPH_PRIVATE_KEY", "0x1234"),
                                        null,
                                        "--key-file",
                                        "no key",
                                        true))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("SERIGRAPH_PRIVATE_KEY is not 32 bytes of hex");
    }

    @Test
    void aKeystoreOpensWithThePasswordFromTheEnvironment() throws Exception {
        Path keystore = keystore("correct horse");
        Credentials c =
                SigningKeys.load(
                        env("SERIGRAPH_KEY_PASSWORD", "correct horse"),
                        keystore,
                        "--mint-key-file",
                        "--mint-rpc needs the node's key",
                        false);
        assertThat(c.getAddress()).isEqualTo(ADDRESS);
        assertThatThrownBy(
                        () ->
                                SigningKeys.load(
                                        env("SERIGRAPH_KEY_PASSWORD", "wrong"),
                                        keystore,
                                        "--key-file",
                                        "no key",
                                        true))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("wrong password for the key file " + keystore);
    }

    @Test
    void aNodeNeverPromptsForTheKeystorePassword() throws Exception {
        Path keystore = keystore("pw");
        assertThatThrownBy(
                        () ->
                                SigningKeys.load(
                                        env(),
                                        keystore,
                                        "--mint-key-file",
                                        "--mint-rpc needs the node's key",
                                        false))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--mint-key-file needs its password in SERIGRAPH_KEY_PASSWORD");
    }

    @Test
    void mintWithoutATerminalAsksForThePasswordVariable() throws Exception {
        Path keystore = keystore("pw");
        // Tests run without a terminal: the prompt is not possible.
        assertThat(System.console()).isNull();
        assertThatThrownBy(() -> SigningKeys.load(env(), keystore, "--key-file", "no key", true))
                .isInstanceOf(BadInputException.class)
                .hasMessage(
                        "--key-file needs its password: set SERIGRAPH_KEY_PASSWORD or run on a"
                                + " terminal");
    }

    private Path keystore(String password) throws Exception {
        ECKeyPair pair = Credentials.create(KEY).getEcKeyPair();
        String name = WalletUtils.generateWalletFile(password, pair, dir.toFile(), false);
        return dir.resolve(name);
    }
}
