"""Segmentation methods side by side on profiles with known breakpoints.

    python benchmarks/segmentation.py [--profiles 200] [--seed 1]

Each profile is one chromosome of 300 bins (150 Mb at 500 kb) holding 0-4
copy-number changes of 3-60 bins in a diploid cell, with log2-ratio noise of a
typical single cell (SD 0.15-0.35). Methods get the same penalty rule as the
workflow (penalty 3 x noise variance x log n, minimum 3 bins). A breakpoint is
found when a predicted one lies within 2 bins. Prints recall, precision and
time per profile.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import ruptures

from ctc_profiler.copy_number.segmentation import noise_sd

N_BINS = 300


def make_profile(rng: np.random.Generator) -> tuple[np.ndarray, list[int]]:
    cn = np.full(N_BINS, 2.0)
    for _ in range(rng.integers(0, 5)):
        width = int(rng.integers(3, 61))
        start = int(rng.integers(0, N_BINS - width))
        cn[start:start + width] = rng.choice([1, 3, 4, 6, 8])
    breaks = [i for i in range(1, N_BINS) if cn[i] != cn[i - 1]]
    log2 = np.log2(cn / 2) + rng.normal(0, rng.uniform(0.15, 0.35), N_BINS)
    return log2, breaks


def run(method: str, values: np.ndarray) -> list[int]:
    sd = noise_sd(values)
    pen = 3.0 * sd**2 * np.log(len(values))
    signal = values.reshape(-1, 1)
    if method == "kernel_pelt":
        # PELT on the linear kernel (the l2 cost), implemented in C
        algo = ruptures.KernelCPD(kernel="linear", min_size=3, jump=1).fit(signal)
    elif method == "pelt":
        algo = ruptures.Pelt(model="l2", min_size=3, jump=1).fit(signal)
    elif method == "binseg":
        algo = ruptures.Binseg(model="l2", min_size=3, jump=1).fit(signal)
    elif method == "bottomup":
        algo = ruptures.BottomUp(model="l2", min_size=3, jump=1).fit(signal)
    else:
        algo = ruptures.Window(width=10, model="l2", min_size=3, jump=1).fit(signal)
    return algo.predict(pen=pen)[:-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    profiles = [make_profile(rng) for _ in range(args.profiles)]
    print(f"{args.profiles} profiles, {sum(len(b) for _, b in profiles)} true breakpoints")
    print(f"{'method':10s} {'recall':>7s} {'precision':>9s} {'ms/profile':>10s}")
    for method in ("kernel_pelt", "pelt", "binseg", "bottomup", "window"):
        found = predicted = true = 0
        start = time.perf_counter()
        for values, breaks in profiles:
            calls = run(method, values)
            predicted += len(calls)
            true += len(breaks)
            found += sum(any(abs(c - b) <= 2 for c in calls) for b in breaks)
            # a call is right when a true breakpoint is near it
        elapsed = (time.perf_counter() - start) / len(profiles) * 1000
        correct = sum(any(abs(c - b) <= 2 for b in breaks)
                      for values, breaks in profiles for c in run(method, values))
        print(f"{method:10s} {found / true:7.3f} {correct / max(predicted, 1):9.3f} {elapsed:10.2f}")


if __name__ == "__main__":
    main()
