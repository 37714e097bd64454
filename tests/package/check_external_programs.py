"""Checks that packaging/install-deps.sh installs everything the build, the tests, .ci/run and the
packaging run, so that the README's commands work on a minimal Debian 12 system.

The programs and Python modules come from the sources (program_sources.py). For each one this
finds the file (PATH, or the folders the sources name), the Debian package that ships it (`dpkg -S`
on the path, its /usr-merged twin and every step of its symlink chain), and why a fresh system
has that package: listed in install-deps.sh; Essential or Priority required (a minbase system);
or pulled in by one of those through Depends/Pre-Depends (apt installs no Recommends here). It
fails, naming the program and the package, for anything else, and for a program or module that
is not on this machine at all. It prints what it checked: program -> path -> package -> why.

Usage: check_external_programs.py [--source DIR] [--install-deps SCRIPT] [--python PYTHON]
                                  [--qt-tool-dirs DIR:DIR] [--verbose]
"""
import argparse
import json
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from program_sources import ProjectScan  # noqa: E402

# Programs the sources call that a fresh system need not have, and why.
NOT_REQUIRED = {
    "sudo": "install-deps.sh becomes root with it only when not run as root; it cannot install sudo "
            "itself, and a fresh minimal system runs it as root",
    "nvcc": "NVIDIA's CUDA 13 toolkit (/usr/local/cuda, no Debian package), needed only by the cuda "
            "preset and the second part of .ci/run; install-libtorch.sh stops with that message without it",
}
STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEBIAN_QT_TOOL_DIRS = "/usr/lib/qt6/bin:/usr/lib/qt6/libexec"


def listed_packages(install_deps):
    out = subprocess.run(["sh", str(install_deps), "--list"], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


class Dpkg:
    """The installed packages: priorities, dependencies and file owners."""

    def __init__(self):
        fmt = "${binary:Package}\\t${db:Status-Abbrev}\\t${Essential}\\t${Priority}\\t" \
              "${Pre-Depends}\\t${Depends}\\t${Provides}\\n"
        out = subprocess.run(["dpkg-query", "-W", "-f=" + fmt], check=True, capture_output=True,
                             text=True).stdout
        self.packages, self.providers = {}, {}
        for row in out.splitlines():
            name, status, essential, priority, pre, depends, provides = row.split("\t")
            if not status.startswith("ii"):
                continue
            name = name.split(":")[0]
            self.packages[name] = {"essential": essential or "no", "priority": priority or "?",
                                   "depends": self._groups(pre) + self._groups(depends)}
            for virtual in self._groups(provides):
                self.providers.setdefault(virtual[0], []).append(name)

    @staticmethod
    def _groups(field):
        """'a (>= 1) | b, c:any' -> [['a', 'b'], ['c']]"""
        return [[alt.split("(")[0].split("[")[0].strip().split(":")[0] for alt in group.split("|")]
                for group in field.split(",") if group.strip()]

    def closure(self, seeds):
        """package -> the chain of Depends that brings it in from a seed, as apt would without
        Recommends (the first alternative of each group; a virtual one by its installed providers)."""
        chains, queue = {}, deque()
        for seed in sorted(seeds):
            if seed in self.packages and seed not in chains:
                chains[seed] = [seed]
                queue.append(seed)
        while queue:
            package = queue.popleft()
            for group in self.packages[package]["depends"]:
                first = group[0]
                targets = [first] if first in self.packages else self.providers.get(first, [])
                for target in targets:
                    if target not in chains:
                        chains[target] = chains[package] + [target]
                        queue.append(target)
        return chains

    def owners(self, paths):
        """path -> [packages] for every path dpkg knows (one dpkg-query call)."""
        paths = sorted(set(paths))
        if not paths:
            return {}
        out = subprocess.run(["dpkg-query", "-S"] + paths, capture_output=True, text=True).stdout
        owners = {}
        for row in out.splitlines():
            if row.startswith("diversion by") or ": /" not in row:
                continue
            packages, path = row.split(": /", 1)
            owners["/" + path] = [p.strip().split(":")[0] for p in packages.split(",")]
        return owners


def usrmerge_twins(path):
    """The path and its twin across the /usr merge (/bin/sh <-> /usr/bin/sh)."""
    for top in ("/bin/", "/sbin/", "/lib/", "/lib64/"):
        if path.startswith(top):
            return [path, "/usr" + path]
        if path.startswith("/usr" + top):
            return [path, path[4:]]
    return [path]


def symlink_chain(path):
    """The path, each symlink target after it, and the resolved path (in that order)."""
    chain, current = [path], path
    for _ in range(16):
        if not os.path.islink(current):
            break
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
        chain.append(current)
    chain.append(os.path.realpath(path))
    return [twin for step in dict.fromkeys(chain) for twin in usrmerge_twins(step)]


def locate_program(req):
    """Every file the program's name finds, in search order (a packaged one may come after a
    local build in /usr/local that shadows it here but not on a fresh system)."""
    if req.path:
        return [req.path] if os.path.exists(req.path) else []
    dirs = list(req.dirs) + os.environ.get("PATH", "").split(":") + STANDARD_PATH.split(":")
    found = []
    for name in req.names:
        for folder in dict.fromkeys(d for d in dirs if d):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                found.append(candidate)
        if found:
            break
    return found


def locate_modules(python, modules):
    """module -> (file, note) as the fixtures' interpreter finds it; (None, None) if absent."""
    script = ("import importlib.util, json, os, sys\n"
              "out = {}\n"
              "for name in sys.argv[1:]:\n"
              "    spec = importlib.util.find_spec(name)\n"
              "    if spec is None: out[name] = [None, None]\n"
              "    elif spec.origin in ('built-in', 'frozen'):\n"
              "        out[name] = [os.path.realpath(sys.executable), spec.origin + ' in the interpreter']\n"
              "    else: out[name] = [spec.origin or list(spec.submodule_search_locations)[0], '']\n"
              "print(json.dumps(out))\n")
    out = subprocess.run([python, "-I", "-c", script] + sorted(modules), check=True,
                         capture_output=True, text=True).stdout
    return {name: tuple(value) for name, value in json.loads(out).items()}


class Check:
    """Decides, for every requirement of a scan, whether a fresh system has it after install-deps.sh."""

    def __init__(self, scan, listed, dpkg, python):
        self.scan, self.listed, self.dpkg, self.python = scan, listed, dpkg, python
        base = {p for p, info in dpkg.packages.items()
                if info["essential"] == "yes" or info["priority"] == "required"}
        self.from_listed = dpkg.closure(listed)
        self.from_base = dpkg.closure(base)
        self.failures, self.lines = [], []

    def why_allowed(self, package):
        info = self.dpkg.packages.get(package, {"essential": "?", "priority": "?"})
        if package in self.listed:
            return "listed in install-deps.sh"
        if info["essential"] == "yes":
            return "Essential: yes"
        if info["priority"] == "required":
            return "Priority: required"
        if package in self.from_listed:
            chain = self.from_listed[package]
            return f"Depends of {chain[0]} (listed): {' -> '.join(chain)}"
        if package in self.from_base:
            chain = self.from_base[package]
            return f"Depends of {chain[0]} (base system): {' -> '.join(chain)}"
        return None

    def run(self):
        reqs = sorted(self.scan.requirements.values(), key=lambda r: (r.kind, r.label))
        modules = locate_modules(self.python, [r.names[0] for r in reqs if r.kind == "module"])
        found = {}  # requirement -> [(path, note)]
        for req in reqs:
            if req.kind == "program":
                found[id(req)] = [(path, "") for path in locate_program(req)]
            else:
                path, note = modules[req.names[0]]
                found[id(req)] = [(path, note)] if path else []
        chains = {path: symlink_chain(path) for files in found.values() for path, _ in files}
        owners = self.dpkg.owners(p for chain in chains.values() for p in chain)
        for req in reqs:
            self._check(req, [self._judge(path, note, chains[path], owners) for path, note in found[id(req)]])
        self.failures += ["FAIL: " + problem for problem in self.scan.unresolved]
        return not self.failures

    def _judge(self, path, note, chain, owners):
        """(path as shown, owning package or None, why it is allowed or None) of one file found."""
        owner_path = next((p for p in chain if p in owners), None)
        shown = path + (f" ({note})" if note else "") + (
            f" = {owner_path}" if owner_path and owner_path != path else "")
        if owner_path is None:
            return shown, None, None
        packages = owners[owner_path]
        allowed = [(p, self.why_allowed(p)) for p in packages if self.why_allowed(p)]
        return (shown,) + (allowed[0] if allowed else (packages[0], None))

    def _check(self, req, files):
        more = len(req.where) - 1
        needed = f"needed by {req.where[0]}" + (f" and {more} more" if more else "")
        what = f"{req.kind} {req.label}"
        # The first file a fresh system would have; else the first packaged one; else the first.
        # (A copy in /usr/local or a ccache link may come first on PATH here.)
        shown, package, why = next((f for f in files if f[2]), None) or next(
            (f for f in files if f[1]), None) or (files[0] if files else (None, None, None))
        if why:
            self.lines.append(f"{what} -> {shown} -> {package} -> {why}\n    {needed}")
        elif req.label in NOT_REQUIRED:
            self.lines.append(f"{what} -> {shown or 'not installed'} -> {package or '-'} -> allowed: "
                              f"{NOT_REQUIRED[req.label]}")
        elif shown is None:
            self.failures.append(f"FAIL: {what}: not found on this machine ({needed}); install the Debian "
                                 f"package that ships it and add that package to packaging/install-deps.sh")
        elif package is None:
            self.failures.append(f"FAIL: {what} -> {shown}: no Debian package ships this file ({needed})")
        else:
            info = self.dpkg.packages.get(package, {"essential": "?", "priority": "?"})
            self.failures.append(
                f"FAIL: {what} -> {shown} -> package {package} (Essential: {info['essential']}, "
                f"Priority: {info['priority']}) is not installed by packaging/install-deps.sh and not part "
                f"of a minimal Debian system: add {package} to install-deps.sh ({needed})")


def report(scan, check, install_deps, verbose):
    print(f"Scanned {len(scan.scanned)} files of {scan.root}; not scanned: "
          + (", ".join(f"{f} ({why})" for f, why in scan.not_scanned) or "none"))
    print(f"{len(check.listed)} packages listed in {install_deps}\n")
    print("\n".join(check.lines))
    if verbose:
        for req in sorted(scan.requirements.values(), key=lambda r: r.label):
            print(f"\n{req.kind} {req.label} is used at:\n    " + "\n    ".join(req.where))
        print(f"\nNot checked: {len(scan.skipped)} words that are the project's own files, executables, "
              "modules, or variables:\n    " + "\n    ".join(scan.skipped))
    programs = sum(r.kind == "program" for r in scan.requirements.values())
    print(f"\nChecked {programs} programs and {len(scan.requirements) - programs} Python modules"
          f" ({len(scan.skipped)} words skipped as the project's own or variables; --verbose lists them).")
    for failure in check.failures:
        print(failure)
    if check.failures:
        print(f"{len(check.failures)} problem(s): a fresh Debian 12 system would lack them after "
              "install-deps.sh")


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", default=str(here.parent.parent), help="the project's source tree")
    ap.add_argument("--install-deps", help="the install script (default: SOURCE/packaging/install-deps.sh)")
    ap.add_argument("--python", default=sys.executable, help="the interpreter that runs the fixtures")
    ap.add_argument("--qt-tool-dirs", default=DEBIAN_QT_TOOL_DIRS,
                    help=f"folders of Qt's tools (moc, lrelease), ':'-separated "
                         f"(default {DEBIAN_QT_TOOL_DIRS})")
    ap.add_argument("--verbose", action="store_true", help="every use of each program, every skipped word")
    args = ap.parse_args()

    scan = ProjectScan(args.source, [d for d in args.qt_tool_dirs.split(":") if d]).run()
    install_deps = args.install_deps or os.path.join(args.source, "packaging", "install-deps.sh")
    check = Check(scan, listed_packages(install_deps), Dpkg(), args.python)
    ok = check.run()
    report(scan, check, install_deps, args.verbose)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
