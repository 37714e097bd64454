"""packaging/slurm/medvae-batch.sbatch on a real one-node Slurm cluster (slurm_cluster.py):
an array of 4 tasks over 41 small images (40 files and one loopback URL) with the bundled demo
model. Checks that every item is recorded exactly once across the shard manifests; that the
latents are byte for byte those of a single-process run; that a task cancelled half-way
(scancel while it waits at the gated URL, every earlier item of its shard recorded) and
resubmitted does the rest and nothing twice (manifest records and output mtimes unchanged), the
cancelled task having released its lock (scancel's SIGTERM cancels the batch cleanly); and that two tasks given the same shard do not both
write: the second stops naming the first's Slurm job.

Exit 77 (skipped, for CTest) with the reason when Slurm cannot run here.
Usage: test_slurm_array.py MEDVAE_CLI SBATCH_SCRIPT
"""
import collections
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_fixture import (ITEMS, RUN_SECONDS, SHARDS, URL_POSITION, cli_command,  # noqa: E402
                           latents, make_inputs, manifest_records, run_cli)
from slurm_cluster import SlurmCluster, Unavailable  # noqa: E402

SKIP = 77
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
            "PREEMPTED", "BOOT_FAIL", "DEADLINE"}
SHARD1 = list(range(1, ITEMS, SHARDS))
SHARD1_BEFORE_URL = [i for i in SHARD1 if i < URL_POSITION]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def wait_for(condition, what, seconds=RUN_SECONDS):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(0.05)  # polling a condition


class ArrayTest:
    def __init__(self, cluster, root, cli, script):
        self.cluster, self.root, self.cli, self.script = cluster, root, cli, script
        self.logs = root / "logs"
        self.listing, self.server = make_inputs(root)

    def submit(self, out, array, shards=None):
        env = {"MEDVAE_INPUT": str(self.listing), "MEDVAE_OUTPUT": str(out),
               "MEDVAE_CLI": self.cli, "MEDVAE_ARGS": "--workers 1"}
        if shards:
            env["MEDVAE_SHARDS"] = str(shards)
        self.cluster.env.update(env)
        # The script's own lines ask for a real machine's share; this node has 2 CPUs.
        r = self.cluster.run(["sbatch", "--parsable", f"--array={array}", "--cpus-per-task=1",
                              "--mem=300M", "--time=10", f"--chdir={self.root}",
                              f"--output={self.logs}/medvae-batch-%A_%a.log", self.script])
        for k in env:
            del self.cluster.env[k]
        check(r.returncode == 0, f"sbatch failed: {r.stderr}")
        return r.stdout.strip().split(";")[0]

    def states(self, job):
        """Array task id -> state, for every task of the job (finished ones included)."""
        r = self.cluster.run(["squeue", "-h", "-t", "all", "-j", job, "-o", "%K %T"])
        check(r.returncode == 0, f"squeue failed: {r.stderr}")
        return dict(line.split() for line in r.stdout.splitlines() if line.strip())

    def wait_done(self, job, tasks):
        states = wait_for(lambda: (lambda s: s if len(s) == tasks and set(s.values()) <= TERMINAL
                                   else None)(self.states(job)), f"job {job} to finish")
        return states

    def log(self, job, task):
        return (self.logs / f"medvae-batch-{job}_{task}.log").read_text(errors="replace")

    def wait_at_gate(self, out):
        manifest = out / f"manifest-shard-1-of-{SHARDS}.jsonl"
        wait_for(lambda: self.server.requested.is_set() and
                 len(manifest_records(manifest)) == len(SHARD1_BEFORE_URL),
                 "shard 1 to wait at the gated URL with its earlier items recorded")

    def run(self):
        out = self.root / "latents"
        self.array_with_a_cancelled_task(out)
        reference = self.root / "reference"
        r = run_cli(cli_command(self.cli, self.listing, reference))
        check(r.returncode == 0, f"the single-process run failed: {r.stdout}{r.stderr}")
        expected = latents(reference)
        check(len(expected) == ITEMS, f"the single-process run wrote {len(expected)} latents")
        got = latents(out)
        check(sorted(got) == sorted(expected), f"latent files differ: {sorted(got)}")
        for name, (data, _) in expected.items():
            check(got[name][0] == data, f"{name}: the array's bytes differ from a single run's")
        merge = run_cli([self.cli, "manifest", "merge", "-i", str(out)])
        check(merge.returncode == 0, f"manifest merge: {merge.stdout}{merge.stderr}")
        check(f"{ITEMS} complete, 0 failed, 0 missing, 0 duplicated" in merge.stdout, merge.stdout)
        self.same_shard_twice(self.root / "collision", expected)
        print(f"ok: {ITEMS} items in {SHARDS} shards, identical to a single run; cancelled and "
              "resubmitted task resumed; a second run of a shard refused")

    def array_with_a_cancelled_task(self, out):
        job = self.submit(out, f"0-{SHARDS - 1}")
        self.wait_at_gate(out)
        check(self.cluster.run(["scancel", f"{job}_1"]).returncode == 0, "scancel failed")
        states = self.wait_done(job, SHARDS)
        check(states == {"0": "COMPLETED", "1": "CANCELLED", "2": "COMPLETED", "3": "COMPLETED"},
              f"array states: {states}")
        manifest = out / f"manifest-shard-1-of-{SHARDS}.jsonl"
        done = manifest_records(manifest)
        check([r["index"] for r in done] == SHARD1_BEFORE_URL, f"cancelled shard: {done}")
        mtimes = {o: (out / o).stat().st_mtime_ns for r in done for o in r["outputs"]}
        # scancel's SIGTERM cancels the batch (medvae-cli's interrupt watch): the task ends
        # cleanly and releases its lock (a lock left by a killed task is taken over: batch_shards).
        check(not (out / f"manifest-shard-1-of-{SHARDS}.lock").exists(),
              "the cancelled task left its lock behind")

        self.server.gate.set()
        again = self.submit(out, "1", shards=SHARDS)
        check(self.wait_done(again, 1) == {"1": "COMPLETED"}, self.log(again, 1))
        log = self.log(again, 1)
        check("taking over the stale lock" not in log, log)
        resumed = len(SHARD1) - len(SHARD1_BEFORE_URL)
        check(f"batch: {resumed} done, {len(SHARD1_BEFORE_URL)} skipped" in log, log)
        records = manifest_records(manifest)
        check(records[:len(done)] == done, "the resubmitted task changed earlier records")
        check([r["index"] for r in records] == SHARD1, f"shard 1 records: {records}")
        check(mtimes == {o: (out / o).stat().st_mtime_ns for o in mtimes},
              "the resubmitted task rewrote complete outputs")
        counts = collections.Counter(
            r["index"] for s in range(SHARDS)
            for r in manifest_records(out / f"manifest-shard-{s}-of-{SHARDS}.jsonl"))
        check(sorted(counts) == list(range(ITEMS)) and set(counts.values()) == {1},
              f"items not recorded exactly once: {counts}")

    def same_shard_twice(self, out, expected):
        self.server.gate.clear()
        self.server.requested.clear()
        first = self.submit(out, "1", shards=SHARDS)
        self.wait_at_gate(out)
        second = self.submit(out, "1", shards=SHARDS)
        check(self.wait_done(second, 1) == {"1": "FAILED"}, self.log(second, 1))
        log = self.log(second, 1)
        check("this shard is already being run by process" in log and
              f"(Slurm job {first}_1)" in log, log)
        self.server.gate.set()
        check(self.wait_done(first, 1) == {"1": "COMPLETED"}, self.log(first, 1))
        records = manifest_records(out / f"manifest-shard-1-of-{SHARDS}.jsonl")
        check([r["index"] for r in records] == SHARD1, f"shard 1 records: {records}")
        got = latents(out)
        check(len(got) == len(SHARD1), f"shard 1 wrote {sorted(got)}")
        for name, (data, _) in got.items():
            check(data == expected[name][0], f"{name}: differs from a single run")


def main(cli, script):
    # A SIGTERM (ctest, a user) unwinds through the finally below like a failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory(prefix="medvae-slurm-") as tmp:
        root = Path(tmp)
        (root / "logs").mkdir()
        cluster = SlurmCluster(root / "cluster")
        (root / "cluster").mkdir()
        test = None
        try:
            cluster.start()
            test = ArrayTest(cluster, root, cli, script)
            test.run()
            return 0
        except Unavailable as e:
            print(f"SKIP: Slurm cannot run here: {e}")
            return SKIP
        except Exception as e:  # noqa: BLE001 - any failure: say what, with the daemons' logs
            print(f"FAIL: {e}" if isinstance(e, Failure) else
                  "FAIL: " + "".join(traceback.format_exception(e)))
            for f in sorted((root / "cluster" / "logs").glob("*.log")):
                print(f"--- {f.name}:\n" + "\n".join(f.read_text(errors="replace").splitlines()[-15:]))
            return 1
        finally:
            cluster.stop()
            if test:
                test.server.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])))
