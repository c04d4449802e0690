package org.sbgm.inverse;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * Batched conjugate gradients (Hestenes and Stiefel 1952) for M u = b with M symmetric positive
 * definite, one independent system per sample of a batch {@code [B, ...]}: inner products are per
 * sample, iterations stop when every sample's residual is below {@code tolerance} · ‖b‖ or after
 * {@code iterations}. The matrix is only applied ({@code apply}), never formed. Truncated as in
 * Steihaug (1983): a matrix known to satisfy pᵀMp ≥ c pᵀp may, when it is built from a learned model,
 * violate that; a sample whose search direction has curvature pᵀMp below {@code curvatureFloor} · pᵀp
 * keeps its current iterate (zero if it happens at once), since CG along such a direction diverges.
 */
final class ConjugateGradient {
  private ConjugateGradient() {}

  /** An approximate solution of apply(u) = b, starting from u = 0. */
  static Tensor solve(UnaryOperator<Tensor> apply, Tensor b, int iterations, double tolerance, double curvatureFloor) {
    Tensor u = torch.zeros_like(b);
    Tensor r = b;
    Tensor p = r;
    Tensor rr = dot(r, r);
    Tensor stop = rr.mul(Torch.scalar(tolerance * tolerance));
    Tensor active = torch.ones_like(rr).gt(Torch.scalar(0));
    for (int i = 0; i < iterations; i++) {
      if (rr.le(stop).logical_or(active.logical_not()).all().item_bool()) {
        break;
      }
      Tensor mp = apply.apply(p);
      Tensor pmp = dot(p, mp);
      active = active.logical_and(pmp.gt(dot(p, p).mul(Torch.scalar(curvatureFloor))));
      Tensor alpha = torch.where(active.logical_and(pmp.gt(Torch.scalar(0))), rr.div(pmp), torch.zeros_like(pmp));
      u = u.add(p.mul(broadcast(alpha, b)));
      r = r.sub(mp.mul(broadcast(alpha, b)));
      Tensor next = dot(r, r);
      Tensor beta = torch.where(rr.gt(Torch.scalar(0)), next.div(rr), torch.zeros_like(rr));
      p = r.add(p.mul(broadcast(beta, b)));
      rr = next;
    }
    return u;
  }

  /** Per-sample inner products {@code [B]}. */
  static Tensor dot(Tensor a, Tensor b) {
    return Torch.sumPerSample(a.mul(b));
  }

  private static Tensor broadcast(Tensor perSample, Tensor like) {
    return Torch.perSample(perSample, like.dim());
  }
}
