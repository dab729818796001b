/**
 * In-process AI through DJL's PyTorch engine: the model store ({@link
 * io.serigraph.inference.store}), one dynamic batcher for every model ({@link
 * io.serigraph.inference.batch}), CLIP embeddings ({@link io.serigraph.inference.clip}), scores
 * ({@link io.serigraph.inference.score}) and near-duplicate search ({@link
 * io.serigraph.inference.search}).
 */
package io.serigraph.inference;
