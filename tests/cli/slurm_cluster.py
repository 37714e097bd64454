"""A one-node Slurm cluster for tests: munged, slurmctld and slurmd from Debian's packages, run in
the foreground as children of the test, with every file (munge key, slurm.conf, state, spool,
logs, sockets) in one temporary folder and the ports chosen free at start. stop() ends the
daemons (and the jobs slurmd started) and leaves nothing behind.

When a daemon cannot run here (a program is missing, not root, munged or a Slurm daemon does not
start), start() raises Unavailable with the real reason, so the test can report itself skipped.
"""
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
from local_daemon import Unavailable, die_with_parent, free_port, wait_until  # noqa: E402,F401

DAEMON_START_SECONDS = 30
PR_SET_CHILD_SUBREAPER = 36
LIBC = ctypes.CDLL(None, use_errno=True)


def memory_mb():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 1024


class SlurmCluster:
    NODE = "medvaenode"
    PROGRAMS = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "scontrol", "sinfo"]

    def __init__(self, root):
        self.root = Path(root)
        self.processes = []
        self.env = dict(os.environ)

    def start(self):
        missing = [p for p in self.PROGRAMS if shutil.which(p, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") is None]
        if missing:
            raise Unavailable("not installed: " + ", ".join(missing) +
                              " (packaging/install-deps.sh installs slurmctld slurmd slurm-client munge)")
        if os.geteuid() != 0:
            raise Unavailable("slurmd must run as root to start jobs, and this test runs as uid "
                              f"{os.geteuid()}")
        # slurmstepd detaches from slurmd; as a subreaper this process inherits whatever is
        # left of the jobs, so stop() can end and reap it.
        LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        self._start_munge()
        self._write_config()
        self._start_slurm()

    def _start_munge(self):
        m = self.root / "munge"
        m.mkdir(mode=0o700)
        key = m / "munge.key"
        key.write_bytes(os.urandom(1024))  # a fresh key: this cluster trusts no one else
        key.chmod(0o400)
        self.munge_socket = m / "munge.socket"
        log = m / "munged.log"
        p = self._spawn([self._sbin("munged"), "--foreground", "--force", f"--key-file={key}",
                         f"--socket={self.munge_socket}", f"--pid-file={m / 'munged.pid'}",
                         f"--log-file={log}", f"--seed-file={m / 'munged.seed'}"], log)
        wait_until(self.munge_socket.exists, DAEMON_START_SECONDS, "munged", p, log)

    def _write_config(self):
        r = self.root
        for d in ("state", "spool", "logs"):
            (r / d).mkdir()
        self.ctld_port, self.slurmd_port = free_port(), free_port()
        cpus = os.cpu_count() or 1
        self.conf = r / "slurm.conf"
        self.conf.write_text(f"""ClusterName=medvaetest
SlurmctldHost={socket.gethostname()}(127.0.0.1)
SlurmctldPort={self.ctld_port}
SlurmdPort={self.slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.munge_socket}
StateSaveLocation={r / 'state'}
SlurmdSpoolDir={r / 'spool'}
SlurmctldPidFile={r / 'slurmctld.pid'}
SlurmdPidFile={r / 'slurmd.pid'}
SlurmctldLogFile={r / 'logs' / 'slurmctld.log'}
SlurmdLogFile={r / 'logs' / 'slurmd.log'}
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
SwitchType=switch/none
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
MailProg=/bin/true
JobRequeue=1
MinJobAge=300
SchedulerParameters=defer_batch=0
NodeName={self.NODE} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb() // 2} State=UNKNOWN
PartitionName=test Nodes={self.NODE} Default=YES MaxTime=INFINITE State=UP
""")
        self.env["SLURM_CONF"] = str(self.conf)

    def _start_slurm(self):
        logs = self.root / "logs"
        ctld = self._spawn([self._sbin("slurmctld"), "-D", "-i", "-f", str(self.conf)],
                           logs / "slurmctld.out")
        wait_until(lambda: self._ok(["scontrol", "ping"], "UP"), DAEMON_START_SECONDS,
                   "slurmctld", ctld, logs / "slurmctld.log")
        slurmd = self._spawn([self._sbin("slurmd"), "-D", "-N", self.NODE, "-f", str(self.conf)],
                             logs / "slurmd.out")
        wait_until(lambda: self._ok(["sinfo", "-h", "-N", "-o", "%T"], "idle"),
                   DAEMON_START_SECONDS, "slurmd", slurmd, logs / "slurmd.log")

    def _ok(self, command, expected):
        r = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=20)
        return r.returncode == 0 and expected in r.stdout

    @staticmethod
    def _sbin(name):
        return shutil.which(name, path="/usr/sbin:/sbin:" + os.environ.get("PATH", ""))

    def _spawn(self, command, log):
        with open(log, "ab") as out:
            p = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=self.env,
                                 start_new_session=True, preexec_fn=die_with_parent)
        self.processes.append(p)
        return p

    def run(self, command, **kwargs):
        """A Slurm client command against this cluster; returns CompletedProcess."""
        return subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=60,
                              **kwargs)

    def stop(self):
        if self.processes and "SLURM_CONF" in self.env:
            self.run(["scancel", "--full", "--partition=test"])
            try:
                wait_until(lambda: not self.run(["squeue", "-h"]).stdout.strip(), 30, "jobs to end")
            except Unavailable:
                pass  # ended below with the daemons
        # slurmd before slurmctld before munged.
        for p in reversed(self.processes):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
        self.processes.clear()
        self._end_orphans()

    @staticmethod
    def _end_orphans():
        """Ends and reaps what detached job processes left with this process as their parent."""
        me = str(os.getpid())
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                try:
                    os.kill(int(stat.parent.name), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG) == (0, 0):
                    break
            except ChildProcessError:
                break
