package io.serigraph.chain.mint;

import io.serigraph.chain.contract.SerigraphDrop;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

final class MintTestSupport {
    static final String RECIPIENT = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    static final String BASE_URI =
            "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/";

    private MintTestSupport() {}

    static BatchMinter.Builder minter(Anvil anvil, String key, MintJournal journal) {
        return BatchMinter.builder()
                .setWeb3j(anvil.web3j, anvil.url)
                .setCredentials(Credentials.create(key))
                .setJournal(journal)
                .optPollInterval(Duration.ofMillis(20))
                .optReceiptTimeout(Duration.ofSeconds(30));
    }

    static DropConfig drop(long maxSupply) {
        return new DropConfig("Serigraph Test", "SGT", maxSupply, 1, BASE_URI, RECIPIENT, 500);
    }

    static SerigraphDrop contract(Anvil anvil, String address) {
        return SerigraphDrop.load(
                address,
                anvil.web3j,
                Credentials.create(Anvil.KEY0),
                new org.web3j.tx.gas.DefaultGasProvider());
    }

    /** The token ids of every Transfer event the contract emitted, in log order. */
    static List<BigInteger> transferredIds(Anvil anvil, String address) throws Exception {
        EthFilter f =
                new EthFilter(
                        DefaultBlockParameterName.EARLIEST,
                        DefaultBlockParameterName.LATEST,
                        address);
        f.addSingleTopic(EventEncoder.encode(SerigraphDrop.TRANSFER_EVENT));
        EthLog logs = anvil.web3j.ethGetLogs(f).send();
        if (logs.hasError()) {
            throw new IllegalStateException(logs.getError().getMessage());
        }
        List<BigInteger> ids = new ArrayList<>();
        for (EthLog.LogResult<?> r : logs.getLogs()) {
            Log l = (Log) r.get();
            ids.add(new BigInteger(l.getTopics().get(3).substring(2), 16));
        }
        return ids;
    }
}
