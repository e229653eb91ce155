"""Command lines of Steward's server processes, and the supervisor `steward serve` runs them under."""

import ctypes
import os
import signal
import subprocess
import sys
import time

# Enough for a request in flight to finish; `serve` kills what is still running after STOP_TIMEOUT.
GRACEFUL_TIMEOUT = 10
STOP_TIMEOUT = 15


def bind_address(host, port):
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_command(*, host, port, workers, threads):
    """The production web server: threaded gunicorn workers, access log on stdout."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "steward.wsgi:application",
        "--bind",
        bind_address(host, port),
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # gunicorn's control socket defaults to one path per user: two instances would clash.
        "--no-control-socket",
    ]


def worker_command(*, workers=None, periodic=True):
    """The background worker, run through this interpreter so it works inside any virtualenv."""
    command = [sys.executable, "-m", "steward", "worker", "--shutdown-timeout", str(GRACEFUL_TIMEOUT)]
    if workers:
        command += ["--workers", str(workers)]
    if not periodic:
        command.append("--no-periodic")
    return command


def _prepare_child(parent_pid, libc):
    # Own process group: Ctrl-C in the terminal reaches only `serve`, which stops the children in order.
    os.setpgid(0, 0)
    if libc is not None:
        # Linux: if `serve` is killed outright, its children get SIGTERM instead of running on as orphans.
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent_pid:
            os._exit(1)


class Supervisor:
    """Starts child processes, watches them, and stops them all together."""

    def __init__(self, env=None):
        self.env = env
        self.children = {}
        self._libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None

    def start(self, name, command):
        parent_pid = os.getpid()
        self.children[name] = subprocess.Popen(
            command,
            env=self.env,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: _prepare_child(parent_pid, self._libc),
        )

    def exited(self):
        """(name, exit code) of the first child that has exited, or None."""
        for name, process in self.children.items():
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM every child, wait up to ``timeout`` seconds, then SIGKILL what is left."""
        for process in self.children.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.children.values():
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
