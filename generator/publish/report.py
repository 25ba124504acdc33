"""What a publish tells the webmaster: a progress bar while sending, then a summary, as text or JSON."""

from __future__ import annotations

import json
import sys

import click

from generator.publish.plan import Plan
from generator.publish.run import Progress, Report

SHOWN = 20  # files listed by name in a text summary; the JSON lists all


class Bar(Progress):
    """click's progress bar over the bytes to send, with the count of files placed."""

    def __init__(self) -> None:
        self.bar = None
        self.files = self.total = 0

    def begin(self, plan: Plan) -> None:
        self.total = len(plan.send) + len(plan.delete)
        if self.total and sys.stderr.isatty():
            self.bar = click.progressbar(length=max(plan.bytes, 1), label="Đang đăng", file=sys.stderr,
                                         item_show_func=lambda _item: f"{self.files}/{self.total} tệp")
            self.bar.__enter__()

    def sent(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def placed(self, path: str) -> None:
        self.files += 1
        if self.bar is not None:
            self.bar.update(0, path)

    def end(self) -> None:
        if self.bar is not None:
            self.bar.render_progress()  # the last file's count: the bar redraws at most a few times a second
            self.bar.__exit__(None, None, None)
            self.bar = None


def to_text(report: Report) -> str:
    plan = report.plan
    lines = [f"Nơi đăng: {report.target}  (địa chỉ công khai {report.base_url})"]
    if plan.edited:
        lines.append(f"cảnh báo: {len(plan.edited)} tệp trên máy chủ đã bị sửa hoặc xóa bằng tay kể từ lần đăng "
                     "trước; đăng lại bản trong output/: " + _names(plan.edited))
    if plan.foreign:
        lines.append(f"cảnh báo: {len(plan.foreign)} tệp trên máy chủ không do awareness đăng, được giữ nguyên: "
                     + _names(plan.foreign))
    if report.dry_run:
        lines.append(f"Chạy thử (--dry-run): sẽ gửi {len(plan.send)} tệp ({_size(plan.bytes)}), xóa "
                     f"{len(plan.delete)} tệp, giữ nguyên {plan.unchanged} tệp; chưa gửi gì.")
        lines += [f"  gửi  {path}" for path in plan.send] + [f"  xóa  {path}" for path in plan.delete]
        return "\n".join(lines)
    lines.append(f"Đã đăng: gửi {len(plan.send)} tệp ({_size(plan.bytes)}), xóa {len(report.deleted)} tệp, "
                 f"giữ nguyên {plan.unchanged} tệp, trong {report.seconds:.1f} giây.")
    if not plan.send and not report.deleted:
        lines.append("Máy chủ đã giống hệt output/: không có gì để gửi.")
    return "\n".join(lines)


def to_json(report: Report) -> str:
    plan = report.plan
    return json.dumps({"target": report.target, "base_url": report.base_url, "dry_run": report.dry_run,
                       "sent": list(plan.send), "deleted": list(plan.delete), "unchanged": plan.unchanged,
                       "bytes": plan.bytes, "edited_on_server": list(plan.edited), "foreign": list(plan.foreign),
                       "seconds": round(report.seconds, 3)}, ensure_ascii=False, indent=2)


def _names(paths: tuple[str, ...]) -> str:
    return ", ".join(paths[:SHOWN]) + (" …" if len(paths) > SHOWN else "")


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.1f} kB"
