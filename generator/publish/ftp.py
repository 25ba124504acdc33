"""Publishing over FTP, or FTPS with explicit TLS (AUTH TLS), with the standard library's ftplib.

Many hosting plans in Vietnam offer only FTP. Plain FTP sends the password unencrypted: the guide
(docs/publishing.md) says to prefer FTPS or SFTP wherever the host has them. The listing uses MLSD, which
gives sizes and modification times in one answer per folder.
"""

from __future__ import annotations

import ftplib
import posixpath
import socket
import ssl
from collections.abc import Callable
from typing import BinaryIO

from generator.publish.plan import Listing, Seen
from generator.publish.targets import Target
from generator.publish.transports import PublishError, Sent, part_name

TIMEOUT = 20


class FtpTransport:
    errors = (OSError, EOFError, ftplib.Error)

    def __init__(self, target: Target, password: Callable[[], str]):
        self.target, self.root = target, target.path.rstrip("/") or "/"
        where = f"{target.host}:{target.port}"
        try:
            self.ftp = self._open()
        except (OSError, EOFError, ftplib.Error) as error:
            raise PublishError(f"không kết nối được máy chủ {where}: {_reason(error)}",
                               "kiểm tra tên máy chủ, cổng và kết nối mạng" +
                               ("; với FTPS, kiểm tra chứng chỉ (ca_file)" if isinstance(error, ssl.SSLError)
                                else "")) from None
        try:
            self.ftp.login(target.user or "anonymous", password())
            if isinstance(self.ftp, ftplib.FTP_TLS):
                self.ftp.prot_p()  # the files too, not only the password, go encrypted
        except ftplib.error_perm:
            self.ftp.close()
            raise PublishError(f"máy chủ {where} từ chối đăng nhập của {target.user or 'anonymous'}",
                               "kiểm tra tên đăng nhập và mật khẩu (AWARENESS_PUBLISH_PASSWORD)") from None
        try:
            self.ftp.cwd(self.root)
        except ftplib.error_perm:
            self.ftp.close()
            raise PublishError(f"không mở được thư mục {self.root} trên {target.host}",
                               "kiểm tra đường dẫn trong địa chỉ đăng và quyền ghi của tài khoản") from None

    def _open(self) -> ftplib.FTP:
        if self.target.scheme == "ftps":
            context = ssl.create_default_context(cafile=self.target.ca_file or None)
            ftp: ftplib.FTP = ftplib.FTP_TLS(context=context, timeout=TIMEOUT, encoding="utf-8")
        else:
            ftp = ftplib.FTP(timeout=TIMEOUT, encoding="utf-8")
        ftp.connect(self.target.host, self.target.port or 21)
        if isinstance(ftp, ftplib.FTP_TLS):
            ftp.auth()
        return ftp

    def _full(self, path: str) -> str:
        return posixpath.join(self.root, path) if path else self.root

    def listing(self) -> Listing:
        files, folders, pending = {}, set(), [""]
        while pending:
            folder = pending.pop()
            for name, facts in self.ftp.mlsd(self._full(folder), ["type", "size", "modify"]):
                kind = facts.get("type", "")
                if kind in ("cdir", "pdir") or name in (".", ".."):
                    continue
                relative = f"{folder}/{name}" if folder else name
                if kind == "dir":
                    folders.add(relative)
                    pending.append(relative)
                else:
                    files[relative] = Seen(int(facts.get("size", 0)), facts.get("modify", ""))
        return Listing(files, frozenset(folders))

    def read(self, path: str) -> bytes | None:
        chunks: list[bytes] = []
        try:
            self.ftp.retrbinary(f"RETR {self._full(path)}", chunks.append)
        except ftplib.error_perm:
            return None
        return b"".join(chunks)

    def put(self, path: str, data: BinaryIO, sent: Sent) -> Seen:
        temporary = self._full(part_name(path))
        self.ftp.storbinary(f"STOR {temporary}", data, callback=lambda chunk: sent(len(chunk)))
        try:
            self.ftp.rename(temporary, self._full(path))
        except ftplib.error_perm:  # servers that will not rename over a file (IIS): a moment without it
            self.delete(path)
            self.ftp.rename(temporary, self._full(path))
        return self._stat(path)

    def _stat(self, path: str) -> Seen:
        """The file's facts as MLSD gives them (MLST answers on the control connection, one line)."""
        answer = self.ftp.sendcmd(f"MLST {self._full(path)}")
        facts_line = next(line for line in answer.splitlines()[1:] if line.startswith(" "))
        facts = dict(item.split("=", 1) for item in facts_line.strip().split(";")[:-1] if "=" in item)
        facts = {key.lower(): value for key, value in facts.items()}
        return Seen(int(facts.get("size", 0)), facts.get("modify", ""))

    def delete(self, path: str) -> None:
        try:
            self.ftp.delete(self._full(path))
        except ftplib.error_perm:
            pass  # gone already

    def make_folder(self, path: str) -> bool:
        try:
            self.ftp.mkd(self._full(path))
        except ftplib.error_perm:
            try:
                self.ftp.sendcmd(f"MLST {self._full(path)}")
            except ftplib.error_perm:
                raise PublishError(f"không tạo được thư mục {path} trên máy chủ",
                                   "kiểm tra quyền ghi của tài khoản") from None
            return False
        return True

    def remove_folder(self, path: str) -> None:
        self.ftp.rmd(self._full(path))

    def close(self) -> None:
        try:
            self.ftp.quit()
        except (OSError, EOFError, ftplib.Error):
            self.ftp.close()


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return "không tìm thấy tên máy chủ"
    if isinstance(error, ConnectionRefusedError):
        return "máy chủ từ chối kết nối (sai cổng, hoặc dịch vụ FTP chưa chạy)"
    if isinstance(error, TimeoutError | socket.timeout):
        return "hết thời gian chờ"
    if isinstance(error, ssl.SSLError):
        return f"lỗi TLS: {error.reason or error}"
    return str(error) or type(error).__name__
