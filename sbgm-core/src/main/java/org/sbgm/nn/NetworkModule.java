package org.sbgm.nn;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A torch {@link Module} whose children, parameters and buffers outlive any {@code PointerScope}
 * open while it is built: each registered object has its JavaCPP reference retained, so building a
 * network inside a scope does not free its layers when the scope closes.
 */
abstract class NetworkModule extends Module {
  NetworkModule() {
    retainReference();
  }

  /** This module (what {@link Network#module()} returns for the networks built on this class). */
  public Module module() {
    return this;
  }

  /** Registers and keeps a child module. */
  final <M extends Module> M child(String name, M module) {
    M m = register_module(name, module);
    m.retainReference();
    return m;
  }

  /** Registers and keeps a buffer (saved with the parameters, never trained). */
  final Tensor buffer(String name, Tensor value) {
    Tensor t = register_buffer(name, value);
    t.retainReference();
    return t;
  }

  /** Registers and keeps a trainable parameter. */
  final Tensor parameter(String name, Tensor value) {
    Tensor t = register_parameter(name, value, true);
    t.retainReference();
    return t;
  }
}
