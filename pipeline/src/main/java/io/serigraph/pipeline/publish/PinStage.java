package io.serigraph.pipeline.publish;

import io.serigraph.chain.ipfs.Cid;
import io.serigraph.chain.pin.KuboRpcClient;
import io.serigraph.chain.pin.PinStatus;
import io.serigraph.chain.pin.PinningServiceClient;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pins a published drop: its images and metadata directories and its contract metadata, on an IPFS
 * node (Kubo RPC: the CAR files are imported, the contract file added) or with a pinning service
 * (Pinning Service API: pin requests by CID). Resumable per item: what the node already pins, or
 * what the service already has a request for, is not sent again. Each run is recorded in the audit
 * log ({@code pin.node} / {@code pin.service}).
 */
public final class PinStage {
    /** One item: what it is, its CID, whether it was already there, and the service's status. */
    public record Item(String what, Cid cid, boolean already, String status) {}

    private final CollectionSpec spec;
    private final DropStore store;
    private final PublishStage paths;

    public PinStage(CollectionSpec spec, DropStore store) {
        this.spec = spec;
        this.store = store;
        this.paths = new PublishStage(spec, store);
    }

    /** Imports {@code out/car/*.car} (roots pinned) and adds the contract file on a node. */
    public List<Item> toNode(KuboRpcClient node, String endpoint, String actor)
            throws IOException, PublishException {
        Cid images = published(PublishStage.META_IMAGES_CID);
        Cid metadata = published(PublishStage.META_METADATA_CID);
        Cid contract = published(PublishStage.META_CONTRACT_CID);
        List<Item> items = new ArrayList<>();
        for (Object[] car :
                new Object[][] {
                    {"images", "images.car", images}, {"metadata", "metadata.car", metadata}
                }) {
            Path file = paths.carDir().resolve((String) car[1]);
            if (!Files.isRegularFile(file)) {
                throw new PublishException(
                        file
                                + " is missing (publish with publish.car: true, or run 'serigraph"
                                + " publish "
                                + spec.baseDir()
                                + "' again)",
                        null);
            }
            KuboRpcClient.CarPin pin = node.pinCar(file);
            if (!pin.root().equals(car[2])) {
                throw new PublishException(
                        file
                                + " has root "
                                + pin.root()
                                + " but the drop's "
                                + car[0]
                                + " CID is "
                                + car[2]
                                + " (run 'serigraph publish "
                                + spec.baseDir()
                                + "' again)",
                        null);
            }
            items.add(new Item((String) car[0], pin.root(), pin.alreadyPinned(), "pinned"));
        }
        boolean had = node.isPinned(contract);
        Cid added = had ? contract : node.add(paths.contractFile());
        if (!added.equals(contract)) {
            throw new PublishException(
                    paths.contractFile()
                            + " is "
                            + added
                            + " on the node but the drop's contract CID is "
                            + contract
                            + " (run 'serigraph publish "
                            + spec.baseDir()
                            + "' again)",
                    null);
        }
        items.add(new Item("contract", contract, had, "pinned"));
        audit(actor, "pin.node", endpoint, items);
        return items;
    }

    /** Asks a pinning service to pin the three CIDs (reusing requests it already has). */
    public List<Item> toService(PinningServiceClient service, String endpoint, String actor)
            throws IOException, PublishException {
        List<Item> items = new ArrayList<>();
        for (String[] what :
                new String[][] {
                    {"images", PublishStage.META_IMAGES_CID},
                    {"metadata", PublishStage.META_METADATA_CID},
                    {"contract", PublishStage.META_CONTRACT_CID}
                }) {
            Cid cid = published(what[1]);
            boolean had = service.find(cid).filter(s -> !s.failed()).isPresent();
            PinStatus s = service.ensurePinned(cid, spec.name() + " " + what[0], List.of());
            items.add(new Item(what[0], cid, had, s.status()));
        }
        audit(actor, "pin.service", endpoint, items);
        return items;
    }

    private Cid published(String key) throws PublishException {
        return Cid.parse(
                store.meta(key)
                        .orElseThrow(
                                () ->
                                        new PublishException(
                                                "the drop is not published yet (run 'serigraph"
                                                        + " publish "
                                                        + spec.baseDir()
                                                        + "' first)",
                                                null)));
    }

    private void audit(String actor, String event, String endpoint, List<Item> items) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoint", endpoint);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Item i : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("what", i.what());
            m.put("cid", i.cid().toString());
            m.put("already", i.already());
            m.put("status", i.status());
            list.add(m);
        }
        data.put("items", list);
        store.appendAudit(actor, event, TokenMetadata.compact(data));
    }
}
