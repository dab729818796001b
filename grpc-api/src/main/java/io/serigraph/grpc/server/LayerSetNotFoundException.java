package io.serigraph.grpc.server;

/** A request names a layer set the node does not hold; upload it, then retry. */
public final class LayerSetNotFoundException extends Exception {
    private final String layerSet;

    public LayerSetNotFoundException(String layerSet) {
        super("layer set " + layerSet + " is not on this node (upload it with UploadLayers)");
        this.layerSet = layerSet;
    }

    public String layerSet() {
        return layerSet;
    }
}
