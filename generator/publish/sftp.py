"""Publishing over SFTP (paramiko): an SSH key or agent first, a password (environment or prompt) if refused.

The server is trusted when ~/.ssh/known_hosts knows it, or when its key's fingerprint is the target's
`host_key` (as `ssh-keygen -lf` prints it: SHA256:…); an unknown server is refused with its fingerprint, so
the webmaster can check it with the server's administrator before writing it down.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import socket
import stat
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import BinaryIO

import paramiko

from generator.publish.plan import Listing, Seen
from generator.publish.targets import Target
from generator.publish.transports import PublishError, Sent, copy, part_name

TIMEOUT = 20
WALKERS = 4  # SFTP channels listing folders at once


def fingerprint(key: paramiko.PKey) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")


class _Pinned(paramiko.MissingHostKeyPolicy):
    """Accepts a server missing from known_hosts only when its key is the one the target names."""

    def __init__(self, target: Target):
        self.target = target

    def missing_host_key(self, client, hostname, key) -> None:
        if self.target.host_key and fingerprint(key) == self.target.host_key.strip():
            return
        raise PublishError(f"chưa biết máy chủ {hostname} (khóa {fingerprint(key)})",
                           "hỏi người quản trị máy chủ xem khóa này có đúng không, rồi ghi vào site.yaml, "
                           f"ở nơi đăng này: host_key: \"{fingerprint(key)}\"")


class SftpTransport:
    errors = (OSError, EOFError, paramiko.SSHException)

    def __init__(self, target: Target, password: Callable[[], str]):
        self.target, self.root = target, target.path.rstrip("/") or "/"
        self.client = paramiko.SSHClient()
        self.client.load_system_host_keys()
        self.client.set_missing_host_key_policy(_Pinned(target))
        self._connect(password)
        try:
            self.sftp = self.client.open_sftp()
            self.sftp.stat(self.root)
        except OSError:
            self.client.close()
            raise PublishError(f"không mở được thư mục {self.root} trên {target.host}",
                               "kiểm tra đường dẫn trong địa chỉ đăng và quyền ghi của tài khoản") from None

    def _connect(self, password: Callable[[], str]) -> None:
        where = f"{self.target.host}:{self.target.port}"
        options = dict(hostname=self.target.host, port=self.target.port, username=self.target.user or None,
                       key_filename=self.target.key_file or None, timeout=TIMEOUT, banner_timeout=TIMEOUT,
                       auth_timeout=TIMEOUT)
        try:
            try:
                self.client.connect(**options)  # the SSH agent or a key
            except paramiko.SSHException as error:
                # refused, or no key to offer at all ("No authentication methods available")
                if not isinstance(error, paramiko.AuthenticationException) and \
                        "authentication" not in str(error).lower():
                    raise
                self.client.connect(**options, password=password(), allow_agent=False, look_for_keys=False)
        except paramiko.AuthenticationException:
            raise PublishError(f"máy chủ {where} từ chối đăng nhập của {self.target.user or 'tài khoản này'}",
                               "kiểm tra tên đăng nhập, mật khẩu (AWARENESS_PUBLISH_PASSWORD) hoặc khóa SSH") from None
        except paramiko.BadHostKeyException as error:
            raise PublishError(f"khóa của máy chủ {where} khác khóa đã biết ({fingerprint(error.key)})",
                               "có thể máy chủ vừa được cài lại, cũng có thể có kẻ mạo danh: hỏi người quản trị "
                               "máy chủ trước khi sửa ~/.ssh/known_hosts") from None
        except (OSError, paramiko.SSHException, EOFError) as error:
            raise PublishError(f"không kết nối được máy chủ {where}: {_reason(error)}",
                               "kiểm tra tên máy chủ, cổng và kết nối mạng") from None

    def _full(self, path: str) -> str:
        return posixpath.join(self.root, path) if path else self.root

    def listing(self) -> Listing:
        """Every file and folder, each folder's listing asked on one of WALKERS SFTP channels at once: a
        site has a folder per page, and one request at a time would wait out each round trip in turn."""
        files, folders = {}, set()
        channels: list[paramiko.SFTPClient] = []
        local = threading.local()

        def list_folder(folder: str) -> tuple[str, list[paramiko.SFTPAttributes]]:
            if not hasattr(local, "sftp"):
                local.sftp = self.client.open_sftp()
                channels.append(local.sftp)
            return folder, local.sftp.listdir_attr(self._full(folder))

        try:
            with ThreadPoolExecutor(WALKERS) as pool:
                pending = {pool.submit(list_folder, "")}
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        folder, entries = future.result()
                        for entry in entries:
                            relative = f"{folder}/{entry.filename}" if folder else entry.filename
                            if stat.S_ISDIR(entry.st_mode or 0):
                                folders.add(relative)
                                pending.add(pool.submit(list_folder, relative))
                            else:
                                files[relative] = Seen(entry.st_size or 0, str(entry.st_mtime))
        finally:
            for channel in channels:
                channel.close()
        return Listing(files, frozenset(folders))

    def read(self, path: str) -> bytes | None:
        try:
            with self.sftp.open(self._full(path), "rb") as remote:
                remote.prefetch()  # the record of a big site is hundreds of kB: ask for all its blocks at once
                return remote.read()
        except FileNotFoundError:
            return None

    def put(self, path: str, data: BinaryIO, sent: Sent) -> Seen:
        temporary = self._full(part_name(path))
        with self.sftp.open(temporary, "wb") as remote:
            remote.set_pipelined(True)
            copy(data, remote.write, sent)
        attributes = self.sftp.stat(temporary)
        try:
            self.sftp.posix_rename(temporary, self._full(path))  # replaces the old file in one step
        except OSError:  # a server without OpenSSH's rename extension: the file is missing for a moment
            self.delete(path)
            self.sftp.rename(temporary, self._full(path))
        return Seen(attributes.st_size or 0, str(attributes.st_mtime))

    def delete(self, path: str) -> None:
        try:
            self.sftp.remove(self._full(path))
        except FileNotFoundError:
            pass

    def make_folder(self, path: str) -> bool:
        try:
            self.sftp.mkdir(self._full(path))
        except OSError:
            try:
                self.sftp.stat(self._full(path))
            except FileNotFoundError:
                raise PublishError(f"không tạo được thư mục {path} trên máy chủ",
                                   "kiểm tra quyền ghi của tài khoản") from None
            return False
        return True

    def remove_folder(self, path: str) -> None:
        self.sftp.rmdir(self._full(path))

    def close(self) -> None:
        self.client.close()


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return "không tìm thấy tên máy chủ"
    if isinstance(error, ConnectionRefusedError | paramiko.ssh_exception.NoValidConnectionsError):
        return "máy chủ từ chối kết nối (sai cổng, hoặc dịch vụ SSH chưa chạy)"
    if isinstance(error, TimeoutError | socket.timeout):
        return "hết thời gian chờ"
    return str(error) or type(error).__name__
