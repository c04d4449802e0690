package org.sbgm.data;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.score.Condition;

/**
 * One minibatch: the samples, their conditions, the dataset indices they came from and the loader
 * position at which the batch started.
 *
 * @param data the samples {@code [B, ...]}
 * @param condition their conditions, {@link Condition#NONE} for an unconditional dataset
 * @param indices the dataset index of each row
 * @param start the loader position before this batch was drawn
 */
public record Batch(Tensor data, Condition condition, long[] indices, DataPosition start) {}
