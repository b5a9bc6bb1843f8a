#!/usr/bin/env python3
"""Summarizes bench/train/run's JSON lines into a table of ratios (bench tooling only)."""
import json
import statistics
import sys


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip().startswith("{")]
    cli = json.load(open(sys.argv[2]))
    res = [r for r in rows if r.get("kind", "result") == "result"]
    em = [r for r in res if r["bench"] == "train_emlkit" and not r.get("scaled")]
    to = [r for r in res if r["bench"] == "train_torch"]
    sk = [r for r in res if r["bench"] == "train_sklearn" and r.get("model") == "mlp"]
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    e, t, s = med(em, "epoch_s_mean"), med(to, "epoch_s_mean"), med(sk, "epoch_s_mean")
    print(f"## Occupancy MLP, {em[0]['epochs']} epochs, batch {em[0]['batch']}, "
          f"{em[0]['n_train']} rows; median of {len(em)} interleaved repeats\n")
    print("| | wall ms / epoch | us / step | test accuracy | emlkit speed-up | goal |")
    print("|---|---|---|---|---|---|")
    print(f"| emlkit | {e * 1e3:.3f} | {med(em, 'us_per_step'):.2f} | "
          f"{statistics.median(r['acc_test'] for r in em):.4f} | | |")
    print(f"| PyTorch 1 thread | {t * 1e3:.1f} | {med(to, 'us_per_step'):.1f} | "
          f"{statistics.median(r['acc_test'] for r in to):.4f} | {t / e:.0f}x | >= 30x "
          f"{'met' if t / e >= 30 else 'NOT met'} |")
    print(f"| scikit-learn | {s * 1e3:.1f} | {med(sk, 'us_per_step'):.1f} | "
          f"{statistics.median(r['acc_test'] for r in sk):.4f} | {s / e:.0f}x | >= 10x "
          f"{'met' if s / e >= 10 else 'NOT met'} |")
    cpu_e = med(em, "train_cpu_s") / em[0]["epochs"]
    cpu_t = med(to, "epoch_cpu_s_mean")
    print(f"\nCPU time per epoch: emlkit {cpu_e * 1e3:.3f} ms, PyTorch {cpu_t * 1e3:.1f} ms "
          f"({cpu_t / cpu_e:.0f}x)")
    print("\n## Scaled sets (5 epochs): samples per second\n")
    print("| scale | rows | emlkit | PyTorch 1 thread | scikit-learn | vs PyTorch | vs sklearn |")
    print("|---|---|---|---|---|---|---|")
    sc = [r for r in res if r.get("scaled")]
    ts = [r for r in res if r["bench"] == "train_scaled"]
    base = None
    for r in sc:
        pt = next(x for x in ts if x["scale"] == r["scale"] and x["framework"] == "torch")
        ps = next(x for x in ts if x["scale"] == r["scale"] and x["framework"] == "sklearn")
        base = base or r["samples_per_s"]
        print(f"| {r['scale']}x | {r['n_train']} | {r['samples_per_s']:,.0f} "
              f"({r['samples_per_s'] / base:.2f} of 1x) | {pt['samples_per_s']:,.0f} | "
              f"{ps['samples_per_s']:,.0f} | {r['samples_per_s'] / pt['samples_per_s']:.0f}x | "
              f"{r['samples_per_s'] / ps['samples_per_s']:.0f}x |")
    cg = [r for r in rows if r.get("bench") == "train_emlkit_callgrind"]
    if cg:
        per_epoch = cg[0]["instructions"] / cg[0]["epochs"]
        print(f"\nInstructions per epoch (callgrind, training loop only): {per_epoch:,.0f} "
              f"({per_epoch / (em[0]['n_train'] / em[0]['batch']):,.0f} per step)")
    wall = [r for r in rows if r.get("bench") == "emlkit_train_cli"]
    if wall:
        print(f"\n`emlkit train` with defaults, end to end: {wall[0]['wall_s']:.3f} s, "
              f"{cli['epochs_run']} epochs (best {cli['best_epoch']}), "
              f"test accuracy {cli['metrics']['test']['accuracy']:.4f}")


if __name__ == "__main__":
    main()
