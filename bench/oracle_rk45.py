"""The error of score_sde's likelihood method (scipy RK45 over the flattened batch, as in reference.py's
loglik_scipy_rk45) against the exact log-density, on the eight-Gaussians mixture whose score and diffused
log-densities are closed-form: the counterpart of `sbgm bench --only loglik-adaptive-oracle,...`.

    /usr/bin/python3 bench/oracle_rk45.py [--rtol 1e-5] [--threads 1]

Prints, like reference.py, `NAME <tab> median ms <tab> params=0 <tab> (note with nfe and the error in nats)`
for one Rademacher probe (loglik-adaptive-oracle) and the exact divergence (loglik-adaptive-oracle-exact).
The score is evaluated in float32 and the state integrated in float64 (scipy), as score_sde does; the
terminal density is the exact p_T of the mixture, so the error is that of the solver and the probe only.
"""
import argparse, math, os, statistics, sys, time

_t = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
os.environ["OPENBLAS_NUM_THREADS"] = _t
os.environ.setdefault("OMP_NUM_THREADS", _t)
import numpy as np
import torch
from scipy import integrate

BETA_MIN, BETA_MAX = 0.1, 20.0
S2 = 1 / 1.414
R = 1 / math.sqrt(2)
MEANS = torch.tensor([(1, 0), (-1, 0), (0, 1), (0, -1), (R, R), (R, -R), (-R, R), (-R, -R)], dtype=torch.float64) * 4.0 / 1.414
STD = 0.5 / 1.414


def vp(t):
    b = BETA_MIN * t + 0.5 * t * t * (BETA_MAX - BETA_MIN)
    return math.exp(-0.5 * b), math.sqrt(1.0 - math.exp(-b)), BETA_MIN + t * (BETA_MAX - BETA_MIN)


def log_density(x, t):
    """log p_t(x) of the diffused mixture, float64, x [n, 2]."""
    m, s, _ = vp(t)
    var = m * m * STD * STD + s * s
    d2 = ((x[:, None, :] - m * MEANS[None]) ** 2).sum(-1)
    return torch.logsumexp(-0.5 * d2 / var, 1) - math.log(8) - math.log(2 * math.pi * var)


def score(x, t):
    """The score of p_t at x, computed in x's dtype (float32 here, as a network would)."""
    m, s, _ = vp(t)
    var = m * m * STD * STD + s * s
    mu = (m * MEANS).to(x.dtype)
    diff = x[:, None, :] - mu[None]
    w = torch.softmax(-0.5 * (diff ** 2).sum(-1) / var, 1)
    return -(w[:, :, None] * diff).sum(1) / var


def loglik_scipy_rk45(x, exact, rtol, atol, eps=1e-5):
    n, d = x.shape
    v = torch.randint(0, 2, x.shape).float() * 2 - 1

    def rhs(t, y):
        xx = torch.from_numpy(y[:n * d].reshape(n, d)).float().requires_grad_(True)
        with torch.enable_grad():
            _, _, b = vp(t)
            fx = -0.5 * b * xx - 0.5 * b * score(xx, t)
            if exact:
                div = sum(torch.autograd.grad(fx[:, i].sum(), xx, retain_graph=i < d - 1)[0][:, i] for i in range(d))
            else:
                div = (torch.autograd.grad((fx * v).sum(), xx)[0] * v).sum(1)
        return np.concatenate([fx.detach().numpy().reshape(-1), div.detach().numpy()]).astype(np.float64)

    y0 = np.concatenate([x.numpy().reshape(-1), np.zeros(n)]).astype(np.float64)
    sol = integrate.solve_ivp(rhs, (eps, 1.0), y0, rtol=rtol, atol=atol, method="RK45")
    z = torch.from_numpy(sol.y[:n * d, -1].reshape(n, d))
    delta = torch.from_numpy(sol.y[n * d:, -1])
    return log_density(z, 1.0) + delta, sol.nfev


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    idx = torch.randint(0, 8, (4096,))
    x = (MEANS[idx] + STD * torch.randn(4096, 2, dtype=torch.float64)).float()
    want = log_density(x.double(), 1e-5)
    for exact in (False, True):
        name = "loglik-adaptive-oracle-exact" if exact else "loglik-adaptive-oracle"
        times, out = [], None
        for _ in range(a.reps + 1):
            t0 = time.perf_counter()
            out = loglik_scipy_rk45(x, exact, a.rtol, a.rtol)
            times.append((time.perf_counter() - t0) * 1e3)
        e = (out[0] - want).numpy()
        what = "exact divergence" if exact else "1 Rademacher probe"
        print(f"{name}\t{statistics.median(times[1:]):.3f}\tparams=0\t(scipy RK45 rtol=atol={a.rtol:g}, {what}; "
              f"nfe={out[1]}; error vs exact log p: mean {e.mean():.2e}, rms {math.sqrt((e ** 2).mean()):.2e}, "
              f"max {abs(e).max():.2e} nats)")


if __name__ == "__main__":
    main()
