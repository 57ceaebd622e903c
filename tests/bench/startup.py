#!/usr/bin/env python3
"""Start-up benchmark: `kubectl-mattermost version --client` vs `kubectl version --client`.

Runs each command N times, interleaved (so machine load hits both alike), and prints the median
wall time, peak RSS (from /usr/bin/time) and the ratios. DESIGN.md's targets: wall time at most
1/10 of kubectl's, peak memory at most 1/4.

Usage: startup.py PATH_TO_kubectl-mattermost [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin"


def measure(argv, env):
    """Returns (wall seconds, peak RSS KiB) of one run of argv; fails loudly on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip()}")
    return wall, int(proc.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plugin")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        # A fresh HOME and no KUBECONFIG: neither command may reach a real cluster.
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "KUBECACHEDIR": os.path.join(home, "cache")}
        commands = {
            "kubectl-mattermost version --client": [args.plugin, "version", "--client"],
            "kubectl version --client (dispatcher)": [f"{KUBECTL_DIR}/kubectl", "version",
                                                      "--client"],
            "kubectl.1.33 version --client": [f"{KUBECTL_DIR}/kubectl.1.33", "version", "--client"],
        }
        samples = {name: [] for name in commands}
        for argv in commands.values():  # warm the page cache once
            measure(argv, env)
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(measure(argv, env))

    ours_name = next(iter(commands))
    ours_wall = statistics.median(w for w, _ in samples[ours_name])
    ours_rss = statistics.median(m for _, m in samples[ours_name])
    print(f"start-up, median of {args.runs} interleaved runs")
    print(f"{'command':42} {'wall ms':>9} {'peak RSS KiB':>13}")
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        rss = statistics.median(m for _, m in runs)
        print(f"{name:42} {wall * 1000:9.2f} {rss:13.0f}")
    for name in list(commands)[1:]:
        wall = statistics.median(w for w, _ in samples[name])
        rss = statistics.median(m for _, m in samples[name])
        print(f"ratio vs {name}: wall {ours_wall / wall:.3f} (target <= 0.100), "
              f"memory {ours_rss / rss:.3f} (target <= 0.250)")


if __name__ == "__main__":
    main()
