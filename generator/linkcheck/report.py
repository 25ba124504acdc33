"""Findings as text for people, JSON for scripts, SARIF 2.1.0 for code-scanning tools.

Text is grouped by the file to fix; SARIF results point at that file and line, so an editor
or a CI annotation lands on the Markdown or template line that wrote the reference.
"""

from __future__ import annotations

import json
from collections import defaultdict

from generator import __version__
from generator.linkcheck.check import CheckResult, Finding

LABELS = {"broken": "hỏng", "unverifiable": "không kiểm chứng được", "redirected": "đã chuyển địa chỉ",
          "retired": "tên miền đã ngừng", "ok": "tốt"}
RULES = {  # SARIF rule id and level of each status
    "broken": ("broken-link", "error"), "unverifiable": ("unverifiable-link", "warning"),
    "redirected": ("redirected-link", "note"), "retired": ("retired-domain", "warning"),
    "ok": ("working-link", "none"),
}
UNKNOWN = "(không rõ nguồn: chạy `awareness build` trước để biết dòng nguồn)"


def as_dict(finding: Finding) -> dict:
    return {"url": finding.url, "status": finding.status, "page": finding.page, "source": finding.source or None,
            "reason": finding.reason, "kind": finding.kind, "pages": finding.pages,
            **({"new_url": finding.new_url} if finding.new_url else {})}


def to_json(result: CheckResult) -> str:
    notice = offline_notice(result)
    return json.dumps({"findings": [as_dict(f) for f in result.findings], "summary": result.summary,
                       **({"notice": notice} if notice else {})}, ensure_ascii=False, indent=2)


def to_text(result: CheckResult) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[_split(finding.source)[0] or UNKNOWN].append(finding)
    lines = []
    for file in sorted(by_file, key=lambda f: (f == UNKNOWN, f)):
        lines.append(file)
        for finding in by_file[file]:
            line = _split(finding.source)[1]
            where = f"{finding.pages} trang, ví dụ {finding.page}" if finding.pages > 1 else finding.page
            lines.append(f"  {line or '-'}: {LABELS[finding.status]}: {finding.url}  [{finding.kind} trên {where}]")
            if finding.reason:
                lines.append(f"      → {finding.reason}")
    notice = offline_notice(result)
    lines += [notice] if notice else []
    lines.append(summary_line(result))
    return "\n".join(lines)


def offline_notice(result: CheckResult) -> str | None:
    count = result.summary.get("no_network")
    if not count:
        return None
    return (f"Máy này có vẻ không kết nối Internet: không tra được tên máy chủ nào của {count} địa chỉ bên ngoài, "
            "nên chưa kiểm được chúng → kiểm tra mạng (hoặc máy chủ DNS) rồi chạy lại, hoặc dùng --offline để "
            "chỉ kiểm liên kết trong trang")


def summary_line(result: CheckResult) -> str:
    s = result.summary
    external = "bỏ qua (--offline)" if s.get("offline") else f"{s.get('external_urls', 0)} địa chỉ"
    if s.get("no_network"):
        external = f"{s['no_network']} địa chỉ chưa kiểm được vì không có mạng"
    return (f"Đã kiểm {s['pages']} trang, {s.get('references', 0)} liên kết (bên ngoài: {external}) "
            f"trong {s['seconds']:.2f} giây: {s['broken']} hỏng, {s['unverifiable']} không kiểm chứng được, "
            f"{s['redirected']} đã chuyển địa chỉ, {s.get('retired', 0)} tới tên miền đã ngừng.")


def to_sarif(result: CheckResult, output_uri: str = "output/") -> str:
    results = []
    for finding in result.findings:
        rule, level = RULES[finding.status]
        file, line = _split(finding.source)
        location = {"artifactLocation": {"uri": file or output_uri + finding.page}}
        if line:
            location["region"] = {"startLine": line}
        results.append({
            "ruleId": rule, "level": level,
            "message": {"text": f"{LABELS[finding.status]}: {finding.url} — {finding.reason}".rstrip(" —")},
            "locations": [{"physicalLocation": location}],
            "properties": {"page": finding.page, "pages": finding.pages, "kind": finding.kind},
        })
    run = {
        "tool": {"driver": {
            "name": "awareness-linkcheck", "version": __version__,
            "rules": [{"id": rule, "shortDescription": {"text": f"liên kết {LABELS[status]}"}}
                      for status, (rule, _level) in RULES.items()],
        }},
        "results": results,
    }
    notice = offline_notice(result)
    if notice:  # said once, as the run's own notification, not as a result per link
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "warning", "message": {"text": notice}}]}]
    return json.dumps({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
                       "runs": [run]}, ensure_ascii=False, indent=2)


def _split(source: str) -> tuple[str, int | None]:
    """"content/x.md:12" → ("content/x.md", 12)."""
    file, _, line = source.rpartition(":")
    return (file, int(line)) if line.isdigit() and file else (source, None)
