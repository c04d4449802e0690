/**
 * Backbone networks F_θ(x, t[, π, y]) as libtorch modules; they know nothing of diffusion
 * ({@code org.sbgm.score.ScoreModel} turns an output into a score).
 *
 * <h2>Inputs</h2>
 * x is {@code [B, D]} (vector networks) or {@code [B, C, H, W]} (image networks); t is {@code [B]}; the
 * optional condition has named parts: a parameter vector π {@code [B, P]} and an image y
 * {@code [B, C', H', W']} (image networks) or {@code [B, ...]} of D' values (vector networks). A network built
 * with {@code conditionDim = P > 0} requires π and one built with P = 0 rejects it; the same holds for y and
 * {@code conditionImageChannels} / {@code conditionImageDim}. Every network takes π: concatenated to the
 * input ({@link org.sbgm.nn.Mlp}) or embedded and added to the time embedding (the others). Every network
 * takes y: the vector networks flatten it and treat it like π ({@link org.sbgm.nn.Mlp}: concatenated to the
 * input; {@link org.sbgm.nn.ResidualMlp}: [π, y] embedded into the time embedding); the image networks
 * resize it bilinearly to H × W and concatenate it to x along channels, at the input of the U-Net and before
 * the patch embedding of the DiT and the MLP-Mixer (so its patches are embedded alongside those of x). The
 * output is shaped like x.
 *
 * <h2>Condition dropout (classifier-free guidance training)</h2>
 * Every network takes {@code conditionDropout} p ∈ [0, 1) (Ho and Salimans 2022, arXiv 2207.12598). With
 * p &gt; 0 each sample carries a keep flag κ: in training mode κ = 0 with probability p, drawn from the
 * network's own generator; in eval mode κ = 1. The network sees κ π and κ y together with κ itself (one more
 * input value beside π, or one more constant input channel beside y), so a dropped condition ∅ is not the
 * same as a zero condition (a standardised π equal to the mean of the training parameters is zero). A
 * network with p &gt; 0 also accepts an absent condition: it is ∅ for every sample, exactly what a dropped
 * sample looked like in training, and that is the unconditional score guidance uses
 * ({@code org.sbgm.score.Guided}). The keep flags are not functions of x, so forward-mode tangents are
 * unchanged by them.
 *
 * <h2>Time embeddings</h2>
 * Gaussian Fourier features e(t) = [sin(2π W t), cos(2π W t)], W ~ N(0, s²) fixed (a saved buffer), or
 * sinusoidal e(t) = [sin a, cos a], a_i = 1000 t exp(-ln(10⁴) i / half) ({@link org.sbgm.nn.TimeEmbedding}).
 *
 * <h2>Networks</h2>
 * <ul>
 *   <li>{@link org.sbgm.nn.Mlp}: act(W_k h + b_k) layers on [x, e(t), π]; {@link org.sbgm.nn.MlpConfig#reference()}
 *       is the project's benchmark MLP for 2-D data (141,058 parameters).
 *   <li>{@link org.sbgm.nn.ResidualMlp}: h ← h + B_k dropout(act(A_k act(h) + C_k e)), e from t and π.
 *   <li>{@link org.sbgm.nn.UNet}: DDPM U-Net (Ho et al. 2020, arXiv 2006.11239) with GroupNorm residual blocks,
 *       pixel self-attention and skip concatenation; {@link org.sbgm.nn.UNetConfig#reference()} is the project's
 *       benchmark U-Net for 28×28 images (793,697 parameters).
 *   <li>{@link org.sbgm.nn.DiT}: diffusion transformer with adaLN-Zero blocks (Peebles and Xie 2023, arXiv 2212.09748).
 *   <li>{@link org.sbgm.nn.MlpMixer}: MLP-Mixer (Tolstikhin et al. 2021, arXiv 2105.01601) with adaptive layer norms,
 *       as sbgm's {@code Mixer2d}.
 *   <li>{@link org.sbgm.nn.TorchScriptNetwork}: any network written in PyTorch and saved with {@code torch.jit.script}
 *       or {@code torch.jit.trace}, whose {@code forward(x, t[, parameters[, image]])} returns a tensor shaped like x
 *       ({@link org.sbgm.nn.TorchScriptSignature}); the paper's claim that any network of the framework is a score
 *       model, on libtorch. A TorchScript module is a {@code torch::jit::Module}, not an {@code nn::Module}: the
 *       network is an {@code nn::Module} that registers the module's parameters and buffers under their dotted
 *       Python names as the same tensors, so optimisers, the EMA, weight files, checkpoints and {@code to(device)}
 *       act on what the TorchScript code reads. It has no forward-mode tangents (likelihoods use autograd).
 * </ul>
 *
 * <h2>Forward-mode tangents</h2>
 * A {@link org.sbgm.nn.TangentNetwork} ({@link org.sbgm.nn.Mlp}, {@link org.sbgm.nn.ResidualMlp}) returns F and (∂F/∂x) v_k for K
 * tangents from one pass without autograd: through a linear layer ż = W ḣ (no bias), through a pointwise
 * activation ḣ = act'(z) ⊙ ż; t, π and y have no tangent.
 *
 * <h2>Reproducibility</h2>
 * Every network is built from a config record and a seed ({@link org.sbgm.nn.NetworkConfig#create}).
 * libtorch's layer constructors draw from the global generator; each network then re-draws all of its
 * parameters from its own generator seeded with the seed (PyTorch's default U(±1/√fan_in) for linear and
 * convolutional layers; Xavier and zero adaLN for DiT), so the same seed gives bit-identical parameters
 * and global torch state is never relied on. Dropout masks and classifier-free condition dropout (a sample's
 * keep flags above) come from a second per-network generator,
 * seeded from the construction seed by {@link org.sbgm.torch.Seeds} (stream {@code NETWORK}) and replaceable
 * with {@code setGenerator}. {@link org.sbgm.nn.Network#generators()} lists it by name ({@code "dropout"};
 * empty for an {@link org.sbgm.nn.Mlp} or {@link org.sbgm.nn.MlpMixer} without condition dropout, which are
 * deterministic), so a training
 * checkpoint saves and restores it and a resumed run draws the same masks. A user network that draws noise
 * must list its generators there too.
 *
 * <h2>Weights</h2>
 * {@link org.sbgm.nn.Networks#save} writes libtorch's module archive (parameters and buffers) through the
 * library's one atomic writer ({@link org.sbgm.io.AtomicFiles#writeFile}: temporary file, fsync, rename);
 * {@link org.sbgm.nn.Networks#load} checks every name and shape before copying. Wrong shapes, sizes and files
 * are {@link org.sbgm.InvalidInputException}s.
 *
 * <h2>Weights for and from Python</h2>
 * {@link org.sbgm.nn.StateDict} gives a network's tensors by name and loads named tensors into a network,
 * checking every name, shape and dtype first; {@link org.sbgm.nn.PyTorchNames} names them as the PyTorch module
 * of the same architecture does ({@code state_dict()} keys: the MLP's {@code emb.w, net.0.*, net.2.*, ...}, the
 * reference U-Net's {@code tmlp.0.*, inc.*, down.0.*, ...}), and {@link org.sbgm.nn.WeightFiles} reads and writes
 * them as safetensors or {@code .npz}.
 */
package org.sbgm.nn;
