"""The `awareness` command: parses arguments, calls the library, turns problems into exit codes.

Exit codes: 0 success, 1 problems in the content (or broken links), 2 usage errors.
No traceback reaches a user: unexpected errors are printed as one line (AWARENESS_DEBUG=1 shows them).
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator import __version__, theme
from generator.content.scaffold import ScaffoldError, new_article, new_for_task
from generator.output.lock import BuildLocked
from generator.output.write import OutputHeld, OutputRefused
from generator.pipeline import build
from generator.plan import status as plan
from generator.problems import BuildFailed, Problem, Problems
from generator.settings import BuildSettings
from generator.vietnamese.fix_encoding import FAILED, fix_file
from generator.vietnamese.text import TZ

DEFAULT_PORT = 8000
REVIEW_PATH = "_duyet/"  # generator.site.review.REVIEW_URL, without importing the preview for every command


def project_folder(name: str) -> Path:
    """templates/ and assets/ from the current folder, else the generator's own (theme.py)."""
    return theme.theme_folder(name, Path.cwd())


def shown(path: Path) -> str:
    """A folder as the user knows it: relative to where the command runs when it is inside it."""
    return Problems(root=Path.cwd()).shown(path)


def today_in_vietnam() -> date:
    return datetime.now(TZ).date()


def report_stages(stages: tuple[tuple[str, float], ...], seconds: float) -> None:
    """Each stage's seconds, to stderr (stdout keeps the build's one-line report)."""
    click.echo("Thời gian từng bước (giây):", err=True)
    for stage, spent in stages:
        click.echo(f"  {spent:6.3f}  {stage}", err=True)
    click.echo(f"  {seconds:6.3f}  cả lần dựng", err=True)


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0)):
        prefix = "cảnh báo: " if problem.severity == "warning" else ""
        click.echo(prefix + problem.format(), err=True)


class Group(click.Group):
    """Catches what escapes a command so the user sees a message, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Đã dừng.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (`awareness plan | head`): what it wanted was printed; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("AWARENESS_DEBUG"):
                raise
            click.echo(f"lỗi không mong đợi: {type(error).__name__}: {error}", err=True)
            click.echo("    → chạy lại với AWARENESS_DEBUG=1 để xem chi tiết và báo cho người quản trị", err=True)
            sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awareness")
def main() -> None:
    """Dựng trang tin hưởng ứng Ngày Nước, Ngày Khí tượng thế giới và Giờ Trái đất của Sở Công Thương."""


@main.command("build")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True,
              help="Thư mục bài viết và dữ liệu.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục xuất trang web.")
@click.option("--base-url", help="Địa chỉ gốc khi đăng, ví dụ https://sct.lamdong.gov.vn/chuyen-de/.")
@click.option("--drafts", is_flag=True, help="Đưa cả bài nháp (draft: true) vào trang.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=".cache", show_default=True,
              help="Thư mục bộ nhớ đệm giữa các lần dựng.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Ngày tham chiếu (mặc định: hôm nay).")
@click.option("--strict", is_flag=True, help="Coi mọi cảnh báo (kể cả HTML không an toàn bị bỏ) là lỗi.")
@click.option("--check", "check_links", is_flag=True, help="Dựng xong thì kiểm tra mọi liên kết.")
@click.option("--offline", is_flag=True, help="Với --check: không kiểm liên kết ra ngoài (máy không có Internet).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Số tiến trình dựng song song (mặc định: một cho mỗi lõi được dùng; 1: không song song).")
@click.option("--timings", is_flag=True, help="In thời gian của từng bước dựng.")
@click.option("--watch", is_flag=True,
              help="Dựng xong thì theo dõi: mỗi lần lưu tệp, cập nhật ngay output/ (Ctrl-C để dừng).")
def build_command(content: Path, output: Path, base_url: str | None, drafts: bool, cache_dir: Path,
                  today: datetime | None, strict: bool, check_links: bool, offline: bool, jobs: int | None,
                  timings: bool, watch: bool) -> None:
    """Dựng toàn bộ trang web vào thư mục output/."""
    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")
    if watch and check_links:
        raise click.UsageError("--watch và --check không dùng cùng nhau: kiểm tra liên kết bằng lệnh "
                               "awareness check khi đã sửa xong")
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=output, templates=project_folder("templates"),
        assets=project_folder("assets"), cache=cache_dir, today=today.date() if today else today_in_vietnam(),
        base_url=base_url, drafts=drafts, strict=strict, workers=jobs,
    )
    saves = None
    if watch:
        from generator.live.watch import Saves

        saves = Saves(settings)  # from now: a file saved while the first build runs is not missed
    try:
        result = _run_build(settings)
    except BuildFailed as failed:
        _report_failure(failed, output)
        if not watch:
            sys.exit(1)
        result = None
    except OutputRefused as refused:
        raise click.UsageError(str(refused)) from None
    except BuildLocked as locked:
        click.echo(f"Không dựng: {locked}. Thư mục {output}/ được giữ nguyên.", err=True)
        sys.exit(1)
    except OutputHeld as held:
        click.echo(f"Dựng xong nhưng chưa đưa vào {output}/: {held}.", err=True)
        sys.exit(1)
    if result is not None:
        report_problems(result.warnings)
        _report_build(result, output)
        if timings:
            report_stages(result.stages, result.seconds)
    if check_links:
        _run_check(output, content, cache_dir, None, offline, "text", strict=False, include_ok=False)
    if saves is not None:
        _watch(settings, result, saves, fixed_day=today is not None)


def _report_failure(failed: BuildFailed, output: Path) -> None:
    report_problems(failed.problems)
    errors = sum(1 for p in failed.problems if p.severity == "error")
    click.echo(f"Dựng thất bại: {errors} lỗi. Thư mục {output}/ được giữ nguyên.", err=True)


def _report_build(result, output: Path) -> None:
    if result.replayed:
        click.echo(f"Không có gì thay đổi kể từ lần dựng trước: {output}/ giữ nguyên {result.pages} trang "
                   f"({result.files} tệp); kiểm tra trong {result.seconds:.2f} giây.")
    else:
        click.echo(f"Đã dựng {result.pages} trang ({result.files} tệp) vào {output}/ trong {result.seconds:.2f} giây.")
    if result.changes is not None and not result.replayed:
        click.echo(f"{len(result.changes.lines())} tệp thay đổi so với lần dựng trước "
                   f"(danh sách trong {output}/.changes.txt); {result.rendered} trang dựng lại.")
    waiting = [f"{result.drafts} bản nháp"] if result.drafts else []
    waiting += [f"{result.scheduled} bài hẹn ngày đăng"] if result.scheduled else []
    if waiting:
        click.echo(f"Chưa đăng: {' và '.join(waiting)} (cùng ảnh chỉ các bài đó dùng); xem trước bằng "
                   f"awareness serve, danh sách ở trang /{REVIEW_PATH}.")


def _watch(settings: BuildSettings, result, saves, fixed_day: bool) -> None:
    """build --watch: output/ updated on every save until Ctrl-C (watch.py)."""
    from generator.live import watch

    watcher = watch.Watcher(settings, today=None if fixed_day else today_in_vietnam)
    try:
        watcher.start(result)
    except BuildFailed as failed:
        _report_failure(failed, shown(settings.output))
    click.echo(f"Đang theo dõi {shown(settings.content)}/, mẫu trang và tài nguyên: mỗi lần lưu, "
               f"{shown(settings.output)}/ được cập nhật (Ctrl-C để dừng).", err=True)

    def report(outcome) -> None:
        if isinstance(outcome, str):
            click.echo(outcome, err=True)
        elif isinstance(outcome, BuildFailed):
            _report_failure(outcome, shown(settings.output))
        elif outcome.build is not None:
            report_problems(outcome.build.warnings)
            _report_build(outcome.build, shown(settings.output))
        elif outcome.written:
            click.echo(f"Cập nhật {len(outcome.written)} tệp trong {outcome.seconds * 1000:.0f} ms: "
                       + ", ".join(outcome.written[:5]) + (" …" if len(outcome.written) > 5 else ""))
        else:
            click.echo(f"Không tệp nào của {shown(settings.output)}/ thay đổi ({outcome.seconds * 1000:.0f} ms).")

    watch.watch(watcher, saves, report)
    click.echo(f"Đã dừng theo dõi. Các tệp đổi từ lần dựng đầu: {shown(settings.output)}/.changes.txt", err=True)


def _run_build(settings: BuildSettings):
    if not sys.stderr.isatty():
        return build(settings)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= 300:  # only long builds are worth a bar
            bar = click.progressbar(length=total, label="Đang dựng", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        return build(settings, progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@main.command("serve")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True,
              help="Thư mục bài viết và dữ liệu.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ nghe (mặc định chỉ máy này).")
@click.option("--port", type=click.IntRange(0, 65535),
              help="Cổng nghe (mặc định 8000, hoặc một cổng trống nếu 8000 bận).")
@click.option("--open", "open_browser", is_flag=True, help="Mở trình duyệt khi máy chủ sẵn sàng.")
def serve_command(content: Path, host: str, port: int | None, open_browser: bool) -> None:
    """Xem trước cả bản nháp: dựng vào .cache/preview/, tự dựng lại và tải lại trình duyệt khi lưu tệp.

    Với --host 0.0.0.0, đồng nghiệp trong mạng nội bộ xem được bằng đường dẫn có mã truy cập in ra khi khởi động.
    """
    from generator.live import serve

    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=Path(".cache") / "preview", templates=project_folder("templates"),
        assets=project_folder("assets"), cache=None, today=today_in_vietnam(), base_url=None, preview=True,
    )
    warning = serve.describe(host)
    if warning:
        click.echo(warning, err=True)
    echo = lambda m: click.echo(m, err=True)  # noqa: E731
    try:
        server = serve.PreviewServer(settings, host, DEFAULT_PORT if port is None else port, echo=echo)
        try:
            server.bind()
        except serve.PortInUse:
            if port is not None:
                raise
            # as Hugo does: the default port is taken (another preview?), so any free one will do
            server = serve.PreviewServer(settings, host, 0, echo=echo)
            server.bind()
            click.echo(f"Cổng {DEFAULT_PORT} đang bận: dùng cổng {server.port}.", err=True)
    except serve.PortInUse as error:
        raise click.UsageError(f"{error} → chọn cổng khác, ví dụ --port {port + 1}") from None
    except OutputRefused as refused:
        raise click.UsageError(str(refused)) from None
    server.build()
    with_token = f"?token={server.access.token}" if server.access.token else ""
    click.echo(f"Xem trước tại {server.url}{with_token}  (Ctrl-C để dừng)")
    click.echo(f"Bài chờ duyệt: {server.url}{REVIEW_PATH}{with_token}")
    if server.access.token:
        click.echo("Đồng nghiệp trong mạng mở một trong các địa chỉ sau (có mã truy cập):")
        for url in server.shared_urls:
            click.echo(f"  {url}")
    if open_browser:
        import webbrowser  # only here: every other command would pay for importing it

        webbrowser.open(server.url + with_token)
    server.serve_forever()
    click.echo("Đã dừng máy chủ xem trước.", err=True)


@main.command("init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def init_command(folder: Path) -> None:
    """Tạo thư mục trang mới: nội dung mẫu (mỗi chiến dịch một bài), _data và bản sao giao diện."""
    try:
        made = theme.init_site(folder)
    except theme.InitRefused as refused:
        raise click.UsageError(str(refused)) from None
    click.echo(f"Đã tạo {', '.join(p.as_posix() + '/' for p in made)}.")
    click.echo(f"Dựng thử: cd {folder.as_posix()}  rồi  awareness build")


@main.command("new")
@click.option("--campaign", help="Mã chiến dịch, ví dụ gio-trai-dat.")
@click.option("--department", help="Mã đơn vị, ví dụ phong-quan-ly-nang-luong.")
@click.option("--title", help="Tiêu đề bài viết.")
@click.option("--task", "task",
              help="Mã nhiệm vụ của kế hoạch, ví dụ 1.1-nuoc: chiến dịch, đơn vị, năm lấy từ kế hoạch.")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True)
def new_command(campaign: str | None, department: str | None, title: str | None, task: str | None,
                content: Path) -> None:
    """Tạo tệp bài viết mới với phần khai báo điền sẵn (bản nháp)."""
    if not task and not (campaign and department and title):
        raise click.UsageError("cần --task MÃ, hoặc đủ --campaign, --department và --title")
    try:
        path = new_for_task(content, task, today_in_vietnam(), title) if task else \
            new_article(content, campaign, department, title, today_in_vietnam())
    except ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    click.echo(path.as_posix())


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--campaign", help="Mã chiến dịch, ví dụ gio-trai-dat.")
@click.option("--department", help="Mã đơn vị, ví dụ phong-quan-ly-nang-luong.")
@click.option("--task", "task", help="Mã nhiệm vụ của kế hoạch: chiến dịch, đơn vị, năm lấy từ kế hoạch.")
@click.option("--title", help="Tiêu đề bài (mặc định: tiêu đề trong tệp Word).")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True)
def import_command(file: Path, campaign: str | None, department: str | None, task: str | None, title: str | None,
                   content: Path) -> None:
    """Chuyển tệp Word (.docx; .doc, .odt qua LibreOffice) thành bài viết nháp."""
    from generator.docx_import.article import ImportFailed, ImportRequest, import_document  # python-docx: here only

    if not task and not (campaign and department):
        raise click.UsageError("cần --task MÃ, hoặc đủ --campaign và --department")
    request = ImportRequest(file, content, today_in_vietnam(), campaign, department, task, title)
    try:
        report = import_document(request)
    except ImportFailed as failed:
        report_problems(failed.problems)
        click.echo("Chưa nhập được; không tệp nào được ghi.", err=True)
        sys.exit(1)
    click.echo(report.article.as_posix())
    for line in report.lines():
        click.echo(line, err=True)
    click.echo(f"Đã nhập: {len(report.images)} ảnh, {len(report.converted)} đoạn chuyển từ mã cũ, "
               f"{len(report.notes)} điều cần xem lại.", err=True)


@main.command("fix-encoding")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--encoding", type=click.Choice(["tcvn3", "vni", "windows-1258"], case_sensitive=False),
              help="Mã cũ của tệp, khi không muốn để chương trình tự đoán.")
def fix_encoding_command(files: tuple[Path, ...], encoding: str | None) -> None:
    """Chuyển tệp mã TCVN3, VNI hoặc Windows-1258 sang UTF-8 (NFC), giữ bản gốc FILE.bak."""
    results = [fix_file(path, encoding) for path in files]
    for result in results:
        click.echo(f"{result.path.as_posix()}: {result.message}", err=result.status == FAILED)
    if any(result.status == FAILED for result in results):
        sys.exit(1)
# --- The plan: report, task table, digest (the logic lives in generator.plan.status and plan_report) ---

PLAN_OPTION = click.option("--plan", "plan_id", help="Mã kế hoạch, ví dụ 647-KH-SCT (mặc định: kế hoạch mới nhất).")
TODAY_OPTION = click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
                            help="Ngày tham chiếu để tính quá hạn (mặc định: hôm nay).")
CONTENT_OPTION = click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content",
                              show_default=True)


def _open_report(content: Path, plan_id: str | None, today: datetime | None):
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")
    try:
        site, report, warnings = plan_report.open_report(content, Path.cwd(), plan_id,
                                                         today.date() if today else today_in_vietnam())
    except BuildFailed as failed:
        report_problems(failed.problems)
        click.echo("Nội dung có lỗi; sửa rồi chạy lại.", err=True)
        sys.exit(1)
    except plan_report.UnknownPlan as error:
        raise click.UsageError(str(error)) from None
    report_problems(warnings)
    return site, report


@main.command("report")
@PLAN_OPTION
@TODAY_OPTION
@click.option("--format", "fmt", type=click.Choice(plan.FORMATS), default="text", show_default=True)
@CONTENT_OPTION
def report_command(plan_id: str | None, today: datetime | None, fmt: str, content: Path) -> None:
    """In báo cáo kết quả thực hiện kế hoạch, lập từ những gì đã đăng."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    site, report = _open_report(content, plan_id, today)
    click.echo(plan_report.format_report(site, report, fmt, project_folder("templates"), project_folder("assets")),
               nl=False)


@main.command("plan")
@PLAN_OPTION
@TODAY_OPTION
@CONTENT_OPTION
def plan_command(plan_id: str | None, today: datetime | None, content: Path) -> None:
    """In bảng nhiệm vụ của kế hoạch và trạng thái từng nhiệm vụ."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    site, report = _open_report(content, plan_id, today)
    click.echo(plan_report.task_table(site, report), nl=False)


@main.command("digest")
@PLAN_OPTION
@TODAY_OPTION
@CONTENT_OPTION
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default="digest", show_default=True,
              help="Thư mục ghi thư (HTML, văn bản thuần, và tệp .eml mở được bằng chương trình thư).")
def digest_command(plan_id: str | None, today: datetime | None, content: Path, out: Path) -> None:
    """Soạn thư gửi tài liệu tuyên truyền đến toàn thể công chức, viên chức, người lao động."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    site, report = _open_report(content, plan_id, today)
    if Path(out).resolve() == Path("output").resolve() or Path("output").resolve() in Path(out).resolve().parents:
        raise click.UsageError("không ghi thư vào output/: thư mục đó do lệnh build quản lý; dùng --out khác")
    mail, missing = plan_report.digest(site, report, project_folder("templates"))
    for url in missing:
        click.echo(f"cảnh báo: trang /{url} chưa có trên trang web nên không đưa vào thư", err=True)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{report.plan.id.lower()}-{report.today.isoformat()}"
    for suffix, data in ((".html", mail.html.encode()), (".txt", mail.text.encode()), (".eml", mail.eml())):
        path = out / (stem + suffix)
        path.write_bytes(data)
        click.echo(path.as_posix())


@main.command("check")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục trang đã dựng.")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True,
              help="Thư mục nội dung (đọc base_url và link_exclusions trong _data/site.yaml).")
@click.option("--offline", is_flag=True, help="Không kiểm liên kết ra ngoài (máy không có Internet).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True)
@click.option("--cache", "http_cache", type=click.Path(path_type=Path, dir_okay=False),
              help="Tệp lưu kết quả liên kết ngoài (mặc định .cache/linkcheck/external.json).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=".cache", show_default=True,
              help="Thư mục bộ nhớ đệm của lần dựng (bản đồ nguồn, trang đã đọc).")
@click.option("--strict", is_flag=True, help="Liên kết không kiểm chứng được (401, 403, hết giờ…) cũng tính là lỗi.")
@click.option("--include-ok", is_flag=True, help="Liệt kê cả liên kết tốt.")
def check_command(output: Path, content: Path, offline: bool, output_format: str, http_cache: Path | None,
                  cache_dir: Path, strict: bool, include_ok: bool) -> None:
    """Kiểm tra mọi liên kết của trang đã dựng; chỉ ra dòng nguồn đã viết liên kết hỏng."""
    _run_check(output, content, cache_dir, http_cache, offline, output_format, strict, include_ok)


def _run_check(output: Path, content: Path, cache_dir: Path, http_cache: Path | None, offline: bool,
               output_format: str, strict: bool, include_ok: bool) -> None:
    from generator.linkcheck import report
    from generator.linkcheck.check import check_site
    from generator.linkcheck.config import SOURCE_MAP, ConfigError, check_settings

    try:
        settings = check_settings(output, content, cache_dir, http_cache=http_cache, offline=offline,
                                  include_ok=include_ok)
        result = check_site(settings, cache_dir / SOURCE_MAP)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    except (OSError, RuntimeError) as error:  # RuntimeError: a parse worker died (BrokenProcessPool)
        click.echo(f"lỗi khi kiểm tra liên kết: {error}", err=True)
        sys.exit(2)
    formats = {"text": report.to_text, "json": report.to_json,
               "sarif": lambda r: report.to_sarif(r, output.as_posix().rstrip("/") + "/")}
    click.echo(formats[output_format](result))
    sys.exit(1 if result.failed(strict) else 0)


@main.command("publish")
@click.argument("target", required=False, metavar="[TÊN|ĐỊA-CHỈ]")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True,
              help="Thư mục nội dung (nơi đăng đặt trong _data/site.yaml, mục publish:).")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục trang dựng cho nơi đăng này.")
@click.option("--base-url", help="Địa chỉ công khai của nơi đăng (mặc định: base_url của nơi đăng, "
              "hoặc tên miền hiện nay của Sở trong identity.yaml).")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê tệp sẽ gửi và sẽ xóa, không gửi gì.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--break-lock", is_flag=True, help="Bỏ khóa của một lần đăng trước đã bị ngắt trên máy khác.")
def publish_command(target: str | None, content: Path, output: Path, base_url: str | None, dry_run: bool, fmt: str,
                    break_lock: bool) -> None:
    """Dựng trang cho nơi đăng rồi đưa lên máy chủ: chỉ gửi tệp thay đổi, không bao giờ để trang hỏng giữa chừng."""
    from generator import publish  # paramiko and ftplib: only for this command
    from generator.publish import report

    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")
    try:
        chosen = publish.choose(target, content / "_data" / "site.yaml")
    except publish.TargetError as error:
        report_problems(error.problems)
        sys.exit(2)
    address = publish.public_address(chosen, base_url, content, today_in_vietnam())
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=output, templates=project_folder("templates"),
        assets=project_folder("assets"), cache=Path(".cache"), today=today_in_vietnam(), base_url=address,
    )
    try:
        built = build(settings)  # for this target's address: canonical URLs, sitemap, feeds, robots.txt
    except BuildFailed as failed:
        _report_failure(failed, output)
        sys.exit(1)
    except (OutputRefused, BuildLocked) as refused:
        raise click.UsageError(str(refused)) from None
    report_problems(built.warnings)
    try:
        done = publish.publish(output, chosen, address or "", _publish_password, dry_run=dry_run,
                               break_lock=break_lock, progress=report.Bar() if fmt == "text" else None)
    except publish.PublishError as error:
        click.echo(f"Không đăng được: {error.message}" + (f"\n    → {error.hint}" if error.hint else ""), err=True)
        sys.exit(1)
    click.echo(report.to_text(done) if fmt == "text" else report.to_json(done))


@main.command("server-config")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục trang đã dựng (để chính sách bảo mật khớp đúng các trang).")
@click.option("--base-url", help="Địa chỉ công khai (mặc định: tên miền hiện nay của Sở trong identity.yaml).")
@click.option("--to", "folder", type=click.Path(path_type=Path, file_okay=False), default="cau-hinh-may-chu",
              show_default=True, help="Thư mục ghi nginx.conf, .htaccess và web.config.")
def server_config_command(content: Path, output: Path, base_url: str | None, folder: Path) -> None:
    """Viết cấu hình máy chủ web (nginx, Apache, IIS) cho trang đã dựng: trang 404, nén, bộ nhớ đệm, bảo mật."""
    from generator.content.data import load_site_config
    from generator.problems import Problems
    from generator.publish import public_address, serverconfig

    problems = Problems()
    config = load_site_config(content / "_data" / "site.yaml", problems)
    if config is None or not (output / "index.html").is_file():
        report_problems(problems.items)
        raise click.UsageError(f"cần nội dung đọc được và trang đã dựng trong {output}/ (chạy awareness build trước)")
    address = public_address(None, base_url, content, today_in_vietnam()) or config.base_url
    headers = serverconfig.site_headers(output, address, config.allowed_iframe_hosts)
    for path in serverconfig.write_all(headers, folder):
        click.echo(path.as_posix())


def _publish_password() -> str:
    """The server password: from the environment, else asked (never stored, never echoed)."""
    from generator.publish import PASSWORD_VARIABLE, PublishError

    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        raise PublishError("máy chủ cần mật khẩu mà không có ai để hỏi",
                           f"đặt biến môi trường {PASSWORD_VARIABLE}, hoặc dùng khóa SSH")
    return click.prompt("Mật khẩu máy chủ", hide_input=True, err=True)


def _vietnamese_output() -> None:
    """UTF-8 on a redirected stdout and stderr: on Windows they take the ANSI code page (cp1252),
    which has no letter for most Vietnamese ones, and the first message would fail to print."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")


def run() -> None:
    """The `awareness` command and `python -m generator`. gc.freeze() at the end: the site is garbage
    by then, and the system takes the memory back faster than a last collection would free it;
    exit handlers still run and output is still flushed."""
    _vietnamese_output()
    try:
        main()
    finally:
        gc.freeze()
