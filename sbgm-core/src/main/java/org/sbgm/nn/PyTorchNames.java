package org.sbgm.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.StringTensorDict;

/**
 * The names PyTorch gives a network's parameters and buffers ({@code module.state_dict()} keys) where a
 * PyTorch module of the same architecture exists, so exported weights load with
 * {@code model.load_state_dict(...)} and weights from Python load here.
 *
 * <ul>
 *   <li>{@link Mlp}: the project's PyTorch MLP ({@code reference.py}'s {@code Mlp}:
 *       {@code self.emb = Fourier(...)} with its buffer {@code w}, then
 *       {@code self.net = nn.Sequential(Linear, act, Linear, act, ..., Linear)} on
 *       {@code torch.cat([x, emb(t), parameters], 1)}): {@code embedding.w → emb.w},
 *       {@code hidden<k>.* → net.<2k>.*}, {@code out.* → net.<2·depth>.*}.
 *   <li>{@link UNet} in the reference layout (one residual block per level, attention only in the middle,
 *       no condition; {@code reference.py}'s {@code UNet}): {@code time1/time2 → tmlp.0/tmlp.2},
 *       {@code input → inc}, {@code down<i>_0 → down.<i>}, {@code downsample<i> → downsample.<i>},
 *       {@code middle1, middle_attention, middle2 → mid1, attn, mid2}, {@code up<i>_0 → up.<L-1-i>},
 *       {@code upsample<i> → upsample.<L-1-i>} (PyTorch lists the way up from the deepest level),
 *       {@code out_norm, out_conv → outn, outc}; inside blocks the names are the same
 *       ({@code n1, c1, t, n2, c2, skip}; {@code n, qkv, out}).
 *   <li>{@link TorchScriptNetwork}: its own names, which are the Python module's.
 *   <li>{@link ResidualMlp}, {@link DiT}, {@link MlpMixer} and other U-Net layouts have no PyTorch
 *       counterpart in the project: their names are the library's dotted module paths, which is what a
 *       PyTorch port with the same attribute names would produce.
 * </ul>
 */
public final class PyTorchNames {
  private PyTorchNames() {}

  /** Library name → PyTorch name for every parameter and buffer of {@code network}, in the network's order. */
  public static Map<String, String> of(Network network) {
    Map<String, String> renames = topLevelRenames(network);
    Map<String, String> names = new LinkedHashMap<>();
    try (PointerScope scope = new PointerScope()) {
      add(network.module().named_parameters(true), renames, names);
      add(network.module().named_buffers(true), renames, names);
    }
    return names;
  }

  /** True when {@link #of} renames anything: the network has a PyTorch counterpart with other names. */
  public static boolean renames(Network network) {
    return !topLevelRenames(network).isEmpty();
  }

  private static void add(StringTensorDict dict, Map<String, String> renames, Map<String, String> out) {
    for (long i = 0; i < dict.size(); i++) {
      String name = dict.get(i).key().getString();
      int dot = name.indexOf('.');
      String head = dot < 0 ? name : name.substring(0, dot);
      String mapped = renames.get(head);
      out.put(name, mapped == null ? name : mapped + (dot < 0 ? "" : name.substring(dot)));
    }
  }

  /** The renamed top-level children of the networks that have a PyTorch counterpart; empty otherwise. */
  private static Map<String, String> topLevelRenames(Network network) {
    Map<String, String> m = new LinkedHashMap<>();
    if (network instanceof Mlp mlp) {
      m.put("embedding", "emb");
      int depth = mlp.config().depth();
      for (int k = 0; k < depth; k++) {
        m.put("hidden" + k, "net." + 2 * k);
      }
      m.put("out", "net." + 2 * depth);
    } else if (network instanceof UNet unet && isReferenceLayout(unet.config())) {
      int levels = unet.config().channelMultipliers().size();
      m.put("embedding", "emb");
      m.put("time1", "tmlp.0");
      m.put("time2", "tmlp.2");
      m.put("input", "inc");
      for (int i = 0; i < levels; i++) {
        m.put("down" + i + "_0", "down." + i);
        m.put("downsample" + i, "downsample." + i);
        m.put("up" + i + "_0", "up." + (levels - 1 - i));
        m.put("upsample" + i, "upsample." + (levels - 1 - i));
      }
      m.put("middle1", "mid1");
      m.put("middle_attention", "attn");
      m.put("middle2", "mid2");
      m.put("out_norm", "outn");
      m.put("out_conv", "outc");
    }
    return m;
  }

  /** The U-Net layout of {@code reference.py}: one block per level, attention only in the middle, no condition. */
  static boolean isReferenceLayout(UNetConfig c) {
    return c.resBlocksPerLevel() == 1 && c.attentionLevels().isEmpty() && c.middleAttention()
        && c.conditionDim() == 0 && c.conditionImageChannels() == 0;
  }
}
