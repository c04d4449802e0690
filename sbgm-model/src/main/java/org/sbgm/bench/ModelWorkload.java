package org.sbgm.bench;

import org.sbgm.nn.Network;
import org.sbgm.nn.Networks;

/** A workload on one network of the library: its name, its note and the network's parameter count. */
abstract class ModelWorkload implements Workload {
  private final String name;
  private final String note;
  private final long parameters;

  ModelWorkload(String name, String note, Network network) {
    this.name = name;
    this.note = note;
    this.parameters = Networks.parameterCount(network);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final long parameters() {
    return parameters;
  }

  @Override
  public final String note() {
    return note;
  }
}
