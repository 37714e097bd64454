"""Checks a Kubernetes Indexed Job manifest for medvae-cli batch (no cluster here): the fields an
Indexed Job needs and what the batch needs of them. Prints each finding; exit 1 when any.

- apiVersion batch/v1, kind Job, metadata.name;
- spec.completionMode Indexed, completions and parallelism positive integers, parallelism not
  above completions, a restartPolicy of OnFailure or Never;
- a container whose command (and args) run `medvae-cli batch` with
  --shard "${JOB_COMPLETION_INDEX}/N", N equal to completions, and --resume (a restarted pod must
  not redo complete items);
- every volumeMount names a volume of the pod, every volume is mounted, mount paths are distinct
  and absolute, and the output folder (-o) lies on a writable mount.

With --self-test, also checks that broken copies of the manifest are refused.
Usage: check_indexed_job.py MANIFEST [--self-test]
"""
import copy
import re
import sys

import yaml


def command_line(container):
    return " ".join(str(x) for x in (container.get("command") or []) + (container.get("args") or []))


def check_spec(job, findings):
    if job.get("apiVersion") != "batch/v1":
        findings.append(f"apiVersion is {job.get('apiVersion')!r}, not 'batch/v1'")
    if job.get("kind") != "Job":
        findings.append(f"kind is {job.get('kind')!r}, not 'Job'")
    if not (job.get("metadata") or {}).get("name"):
        findings.append("metadata.name is missing")
    spec = job.get("spec") or {}
    if spec.get("completionMode") != "Indexed":
        findings.append(f"spec.completionMode is {spec.get('completionMode')!r}, not 'Indexed' "
                        "(JOB_COMPLETION_INDEX is only set for Indexed Jobs)")
    counts = {}
    for field in ("completions", "parallelism"):
        value = spec.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            findings.append(f"spec.{field} must be a positive integer, is {value!r}")
        else:
            counts[field] = value
    if len(counts) == 2 and counts["parallelism"] > counts["completions"]:
        findings.append("spec.parallelism is above spec.completions")
    pod = ((spec.get("template") or {}).get("spec")) or {}
    if pod.get("restartPolicy") not in ("OnFailure", "Never"):
        findings.append(f"restartPolicy must be OnFailure or Never for a Job, is "
                        f"{pod.get('restartPolicy')!r}")
    return counts.get("completions"), pod


def check_command(container, completions, findings):
    line = command_line(container)
    name = container.get("name", "?")
    if not re.search(r"\bmedvae-cli\s+batch\b", line):
        findings.append(f"container {name}: the command does not run 'medvae-cli batch'")
        return None
    shard = re.search(r"--shard[= ]\"?\$\{?JOB_COMPLETION_INDEX\}?/(\d+)\"?", line)
    if not shard:
        findings.append(f"container {name}: --shard does not take JOB_COMPLETION_INDEX "
                        "(--shard \"${JOB_COMPLETION_INDEX}/N\")")
    elif completions is not None and int(shard.group(1)) != completions:
        findings.append(f"container {name}: --shard divides into {shard.group(1)} shards but "
                        f"completions is {completions}: items would be missed or split twice")
    if "$" in line and not any(str(c) in ("/bin/sh", "sh", "/bin/bash", "bash")
                               for c in (container.get("command") or [])[:1]):
        findings.append(f"container {name}: ${{JOB_COMPLETION_INDEX}} is only expanded by a "
                        "shell; run the command with /bin/sh -c")
    if "--resume" not in line:
        findings.append(f"container {name}: no --resume, so a restarted pod redoes its shard")
    out = re.search(r"(?:-o|--output)[= ](\S+)", line)
    return out.group(1) if out else None


def check_volumes(pod, container, output, findings):
    name = container.get("name", "?")
    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    mounts = container.get("volumeMounts") or []
    paths = [m.get("mountPath") for m in mounts]
    for m in mounts:
        if m.get("name") not in volumes:
            findings.append(f"container {name}: volumeMount {m.get('name')!r} names no volume")
        if not str(m.get("mountPath", "")).startswith("/"):
            findings.append(f"container {name}: mountPath {m.get('mountPath')!r} is not absolute")
    if len(set(paths)) != len(paths):
        findings.append(f"container {name}: two volumeMounts share a mountPath")
    mounted = {m.get("name") for m in mounts}
    for v in volumes:
        if v not in mounted:
            findings.append(f"volume {v!r} is mounted by no container")
    if output:
        holders = [m for m in mounts
                   if output == m.get("mountPath") or output.startswith(str(m.get("mountPath")) + "/")]
        if not holders:
            findings.append(f"container {name}: the output folder {output} is on no volume "
                            "(each pod would keep its results to itself)")
        elif holders[-1].get("readOnly"):
            findings.append(f"container {name}: the output folder {output} is mounted read-only")


def check(job):
    findings = []
    if not isinstance(job, dict):
        return ["the document is not a mapping"]
    completions, pod = check_spec(job, findings)
    containers = pod.get("containers") or []
    if not containers:
        findings.append("the pod template has no containers")
    batch = 0
    for c in containers:
        if "medvae-cli" in command_line(c):
            batch += 1
            check_volumes(pod, c, check_command(c, completions, findings), findings)
    if containers and not batch:
        findings.append("no container runs medvae-cli")
    return findings


def self_test(job):
    """Each broken copy must be refused with the finding named."""
    def broken(edit, expected):
        j = copy.deepcopy(job)
        edit(j)
        found = check(j)
        if not any(expected in f for f in found):
            return [f"self-test: a manifest where {expected!r} applies passed ({found})"]
        return []
    c = lambda j: j["spec"]["template"]["spec"]["containers"][0]  # noqa: E731
    failures = []
    failures += broken(lambda j: j.update(apiVersion="batch/v1beta1"), "apiVersion")
    failures += broken(lambda j: j["spec"].pop("completionMode"), "completionMode")
    failures += broken(lambda j: j["spec"].update(completions=4), "divides into")
    failures += broken(lambda j: j["spec"].update(parallelism=0), "parallelism must be")
    failures += broken(lambda j: c(j).update(command=[x.replace("${JOB_COMPLETION_INDEX}", "0")
                                                      for x in c(j)["command"]]), "--shard")
    failures += broken(lambda j: c(j).update(command=[x.replace("--resume", "")
                                                      for x in c(j)["command"]]), "--resume")
    failures += broken(lambda j: c(j)["volumeMounts"][0].update(name="nothing"), "names no volume")
    failures += broken(lambda j: c(j)["volumeMounts"].pop(), "mounted by no")
    failures += broken(lambda j: [m.update(readOnly=True) for m in c(j)["volumeMounts"]],
                       "read-only")
    return failures


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1]) as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    if len(documents) != 1:
        print(f"{argv[1]}: expected one document, found {len(documents)}")
        return 1
    findings = check(documents[0])
    if "--self-test" in argv:
        findings += self_test(documents[0])
    for f in findings:
        print(f"{argv[1]}: {f}")
    if not findings:
        print(f"{argv[1]}: a valid Indexed Job for medvae-cli batch "
              f"({documents[0]['spec']['completions']} shards)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
