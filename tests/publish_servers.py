"""Real servers on 127.0.0.1 for the publishing tests: OpenSSH's sshd and pyftpdlib (FTP and FTPS).

sshd runs as a non-daemon child with its own config, throwaway host and user keys, and Debian's sftp-server;
pyftpdlib runs in its own process, so a test can cut a publish off by killing the server's side.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port

SSHD = Path(shutil.which("sshd") or "/usr/sbin/sshd")
SFTP_SERVER = Path("/usr/lib/openssh/sftp-server")
REQUIRED = os.environ.get("AWARENESS_REQUIRE_BROWSER") == "1"  # CI: every real tool must be there


def need(condition: bool, why: str) -> None:
    if not condition:
        (pytest.fail if REQUIRED else pytest.skip)(why)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass
class Sshd:
    port: int
    user: str
    host_key: str  # fingerprint, SHA256:…
    user_key: Path
    process: subprocess.Popen

    def cut_sessions(self) -> None:
        """Kill the processes serving the open connections (the listener stays): a connection cut off."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)


def start_sshd(folder: Path) -> Sshd:
    need(SSHD.exists() and SFTP_SERVER.exists(), "openssh-server is missing (apt-get install openssh-server)")
    need(os.geteuid() == 0, "the test sshd runs as root (it logs the user in)")
    for name in ("host_key", "user_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    shutil.copy(folder / "user_key.pub", folder / "authorized_keys")
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {folder / 'host_key'}
PidFile {folder / 'sshd.pid'}
AuthorizedKeysFile {folder / 'authorized_keys'}
StrictModes no
PermitRootLogin yes
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
Subsystem sftp {SFTP_SERVER}
LogLevel ERROR
""")
    Path("/run/sshd").mkdir(exist_ok=True)  # the privilege-separation folder Debian's sshd insists on
    process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    listed = subprocess.run(["ssh-keygen", "-lf", str(folder / "host_key.pub")], capture_output=True, text=True,
                            check=True).stdout.split()[1]
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    return Sshd(port, user, listed, folder / "user_key", process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


FTP_SERVER = """
import sys
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer
port, root, password, cert = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
authorizer = DummyAuthorizer()
authorizer.add_user("webmaster", password, root, perm="elradfmwMT")
handler = TLS_FTPHandler if cert else FTPHandler
if cert:
    handler.certfile = cert
    handler.tls_control_required = handler.tls_data_required = True
handler.authorizer = authorizer
handler.passive_ports = None
FTPServer(("127.0.0.1", int(port)), handler).serve_forever()
"""


@dataclass
class Ftpd:
    port: int
    root: Path
    password: str
    cert: str
    process: subprocess.Popen | None = None

    def start(self) -> Ftpd:
        self.process = subprocess.Popen([sys.executable, "-c", FTP_SERVER, str(self.port), str(self.root),
                                         self.password, self.cert], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)
        return self

    def kill(self) -> None:
        """The server dies mid-transfer: every connection to it is cut."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()


def tree(folder: Path, skip: set[str]) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, but the top-level names in `skip`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] not in skip}
